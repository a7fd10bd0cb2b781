package dev.loupe.keypoints;

import static dev.loupe.keypoints.KeypointFixtures.indexed;
import static dev.loupe.keypoints.KeypointFixtures.picture;
import static dev.loupe.keypoints.KeypointFixtures.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.Edits;
import dev.loupe.features.LocalFeatures;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GeometricVerifierTest {
  private static final GeometricVerifier VERIFIER = new GeometricVerifier();
  private static final BufferedImage ORIGINAL = picture(11);
  private static final LocalFeatures STORED = indexed(ORIGINAL);

  private static Alignment verified(BufferedImage edited) {
    Optional<Alignment> a = VERIFIER.verify(query(edited), STORED);
    assertTrue(a.isPresent(), "no verified alignment");
    return a.get();
  }

  @Test
  void theSamePictureAlignsWhole() {
    Alignment a = verified(ORIGINAL);
    assertTrue(a.inliers() > 100, "inliers " + a.inliers());
    assertEquals(1, a.hitCoverage(), 0.03);
    assertEquals(1, a.queryCoverage(), 0.03);
    assertEquals(1, a.frameScale(), 0.03);
    assertEquals(0, a.rotation(), 1);
    assertFalse(a.recoloured());
    assertFalse(a.perspective());
  }

  @Test
  void aCornerCropKeepingThirtyPercentSaysHowMuchItKeeps() {
    Alignment a = verified(Edits.crop(ORIGINAL, 0.3, 1, 0));
    assertEquals(0.3, a.hitCoverage(), 0.05);
    assertEquals(1, a.queryCoverage(), 0.05);
    // The crop is decoded at 512 px like the original, so its frame is magnified.
    assertEquals(Math.sqrt(0.3), a.frameScale(), 0.05);
  }

  @Test
  void rotationByAnyAngleIsMeasuredClockwise() {
    for (double degrees : new double[] {37, -120}) {
      Alignment a = verified(KeypointFixtures.rotate(ORIGINAL, degrees));
      assertEquals(degrees, a.rotation(), 2, "rotation for " + degrees);
      assertEquals(1, a.hitCoverage(), 0.05);
      assertTrue(a.queryCoverage() < 0.8, "the rotated canvas adds corners: " + a.queryCoverage());
    }
  }

  @Test
  void aCaptionBandAndABorderStillAlign() {
    Alignment captioned = verified(Edits.caption(ORIGINAL, 0.3, "breaking news from the window today"));
    assertEquals(1, captioned.hitCoverage(), 0.05);
    Alignment padded = verified(Edits.pad(ORIGINAL, 0.2, Color.ORANGE));
    assertTrue(padded.queryCoverage() < 0.8, "query coverage " + padded.queryCoverage());
  }

  @Test
  void theEvidenceIsTheBoxOfTheInliers() {
    Alignment whole = verified(ORIGINAL);
    double[] spread = whole.evidence();
    assertTrue(spread[2] - spread[0] > 0.8 * 512 && spread[3] - spread[1] > 0.8 * 384, java.util.Arrays.toString(spread));
    assertFalse(whole.concentrated());
    // Two other pictures under the same words, in the same font at the same place: they align on
    // the line of words alone, a strip across the bottom band.
    String words = "TODAY EVERY WHEN";
    LocalFeatures stored = indexed(Edits.caption(picture(12), 0.2, words));
    Alignment line = VERIFIER.verify(query(Edits.caption(picture(13), 0.2, words)), stored).orElseThrow();
    double[] strip = line.evidence();
    assertTrue(strip[1] > 0.8 * 384, "the words are in the band: " + java.util.Arrays.toString(strip));
    assertTrue(line.thinInHeight(), java.util.Arrays.toString(strip));
    assertFalse(line.thinInWidth(), java.util.Arrays.toString(strip));
    assertTrue(line.concentrated());
  }

  @Test
  void theHitsPlaceInTheQueryIsItsBoxThere() {
    // A 20 % border on each side: the picture spans 0.2/1.4 to 1.2/1.4 of the padded frame.
    LocalFeatures padded = query(Edits.pad(ORIGINAL, 0.2, Color.ORANGE));
    double[] box = VERIFIER.verify(padded, STORED).orElseThrow().hitInQuery();
    assertEquals(0.143, box[0] / padded.frameWidth(), 0.03);
    assertEquals(0.857, box[2] / padded.frameWidth(), 0.03);
    assertEquals(0.143, box[1] / padded.frameHeight(), 0.03);
    assertEquals(0.857, box[3] / padded.frameHeight(), 0.03);

    // The original as the top-right tile of a 2x2 collage of four pictures.
    int w = ORIGINAL.getWidth();
    int h = ORIGINAL.getHeight();
    BufferedImage collage = new BufferedImage(2 * w, 2 * h, BufferedImage.TYPE_3BYTE_BGR);
    var g = collage.createGraphics();
    g.drawImage(picture(201), 0, 0, w, h, null);
    g.drawImage(ORIGINAL, w, 0, null);
    g.drawImage(picture(202), 0, h, w, h, null);
    g.drawImage(picture(203), w, h, w, h, null);
    g.dispose();
    LocalFeatures tiled = query(collage);
    Alignment tile = VERIFIER.verify(tiled, STORED).orElseThrow();
    assertEquals(0.25, tile.queryCoverage(), 0.05);
    assertEquals(0.5, tile.hitInQuery()[0] / tiled.frameWidth(), 0.03);
    assertEquals(1.0, tile.hitInQuery()[2] / tiled.frameWidth(), 0.03);
    assertEquals(0.0, tile.hitInQuery()[1] / tiled.frameHeight(), 0.03);
    assertEquals(0.5, tile.hitInQuery()[3] / tiled.frameHeight(), 0.03);
  }

  @Test
  void greyCopiesAreRecoloured() {
    Alignment a = verified(Edits.grayscale(ORIGINAL));
    assertTrue(a.recoloured(), "colour shift " + a.colourShift());
  }

  @Test
  void unrelatedPicturesDoNotVerify() {
    for (long seed = 100; seed < 110; seed++) {
      assertTrue(VERIFIER.verify(query(picture(seed)), STORED).isEmpty(), "seed " + seed);
    }
  }

  @Test
  void aMirrorDoesNotVerifyUprightButDoesMirrored() {
    BufferedImage mirrored = KeypointFixtures.mirror(Edits.crop(ORIGINAL, 0.5, 0.5, 0.5));
    assertTrue(VERIFIER.verify(query(mirrored), STORED).isEmpty());
    LocalFeatures flippedBack = KeypointFixtures.EXTRACTOR.extractMirrored(
        KeypointFixtures.decode(mirrored), KeypointExtractor.QUERY_KEYPOINTS);
    assertTrue(VERIFIER.verify(flippedBack, STORED).isPresent());
  }

  @Test
  void tooFewKeypointsNeverVerify() {
    assertTrue(VERIFIER.verify(LocalFeatures.EMPTY, STORED).isEmpty());
    assertTrue(VERIFIER.verify(STORED, LocalFeatures.EMPTY).isEmpty());
  }
}
