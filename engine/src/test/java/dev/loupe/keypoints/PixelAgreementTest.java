package dev.loupe.keypoints;

import static dev.loupe.keypoints.KeypointFixtures.decode;
import static dev.loupe.keypoints.KeypointFixtures.picture;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.Edits;
import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PixelAgreementTest {
  private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

  /** The thumbnail of an indexed picture and its keypoint frame, as the index stores them. */
  private static double agreementWithIdentity(BufferedImage query, BufferedImage stored) {
    DecodedImage q = decode(query);
    DecodedImage frame = decode(stored);
    LocalFeatures hitFrame = KeypointFixtures.EXTRACTOR.extract(frame, 50);
    DecodedImage thumbnail = DecodedImage.of(frame.format(), Edits.resize(stored, 256, 192));
    return PixelAgreement.agreement(q, thumbnail, hitFrame, IDENTITY, false);
  }

  @Test
  void aCopyAgreesAndAnotherPictureDoesNot() {
    BufferedImage original = picture(21);
    assertTrue(agreementWithIdentity(original, original) > 0.9);
    assertTrue(agreementWithIdentity(Edits.grayscale(original), original) > 0.9, "grey copies agree");
    assertTrue(agreementWithIdentity(picture(22), original) < 0.4, "a different picture disagrees");
  }

  /** An identity alignment of 512 x 384 frames whose inliers lie in {@code evidence}. */
  private static Alignment alignedOn(double... evidence) {
    return new Alignment(30, 60, IDENTITY, false, 1, 1, 1, 0, 0, new double[] {0, 0, 512, 384}, evidence);
  }

  private static double awayFrom(Alignment alignment, BufferedImage query, BufferedImage stored) {
    DecodedImage frame = decode(stored);
    LocalFeatures hitFrame = KeypointFixtures.EXTRACTOR.extract(frame, 50);
    DecodedImage thumbnail = DecodedImage.of(frame.format(), Edits.resize(stored, 256, 192));
    return PixelAgreement.agreementAway(PixelAgreement.prepare(decode(query)), thumbnail, hitFrame, alignment, false);
  }

  @Test
  void awayFromALineOfWordsOnlyTheRestOfThePicturesCounts() {
    BufferedImage stored = Edits.caption(picture(24), 0.2, "TODAY EVERY WHEN");
    BufferedImage sameWordsElsewhere = Edits.caption(picture(25), 0.2, "TODAY EVERY WHEN");
    BufferedImage otherWordsSamePicture = Edits.caption(picture(24), 0.2, "TODAY EVER ME THIS");
    // The inliers along the words, near the bottom of the frame.
    Alignment line = alignedOn(30, 340, 330, 365);
    assertTrue(line.concentrated());
    double other = awayFrom(line, sameWordsElsewhere, stored);
    assertTrue(other < PixelAgreement.MIN_AGREEMENT, "another picture under the same words: " + other);
    double same = awayFrom(line, otherWordsSamePicture, stored);
    assertTrue(same > 0.9, "the same picture under other words: " + same);
    // A thin column of evidence leaves out columns instead; the band, whose words differ, counts.
    Alignment column = alignedOn(240, 20, 260, 300);
    assertTrue(column.thinInWidth() && !column.thinInHeight());
    double otherBesideColumn = awayFrom(column, sameWordsElsewhere, stored);
    assertTrue(otherBesideColumn < PixelAgreement.MIN_AGREEMENT, "another picture beside a column: " + otherBesideColumn);
    double sameBesideColumn = awayFrom(column, otherWordsSamePicture, stored);
    assertTrue(sameBesideColumn > 0.8, "the same picture beside a column: " + sameBesideColumn);
    assertFalse(alignedOn(20, 20, 500, 360).concentrated(), "inliers over the whole picture");
  }

  @Test
  void twoPlainPicturesCannotConfirmALineOfWords() {
    BufferedImage plain = new BufferedImage(1000, 750, BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = plain.createGraphics();
    g.setColor(new java.awt.Color(90, 140, 90));
    g.fillRect(0, 0, 1000, 750);
    g.dispose();
    BufferedImage stored = Edits.caption(plain, 0.2, "TODAY EVERY WHEN");
    assertTrue(Double.isNaN(awayFrom(alignedOn(30, 340, 330, 365), Edits.caption(plain, 0.2, "TODAY EVER ME THIS"), stored)),
        "no textured cell away from the words");
  }

  @Test
  void aMirroredTransformReadsTheQueryMirrored() {
    BufferedImage original = picture(23);
    DecodedImage mirrored = decode(KeypointFixtures.mirror(original));
    DecodedImage frame = decode(original);
    LocalFeatures hitFrame = KeypointFixtures.EXTRACTOR.extract(frame, 50);
    DecodedImage thumbnail = DecodedImage.of(frame.format(), Edits.resize(original, 256, 192));
    assertTrue(PixelAgreement.agreement(mirrored, thumbnail, hitFrame, IDENTITY, true) > 0.9);
    assertTrue(PixelAgreement.agreement(mirrored, thumbnail, hitFrame, IDENTITY, false) < 0.5);
  }
}
