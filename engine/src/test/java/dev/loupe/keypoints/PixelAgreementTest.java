package dev.loupe.keypoints;

import static dev.loupe.keypoints.KeypointFixtures.decode;
import static dev.loupe.keypoints.KeypointFixtures.picture;
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
