package dev.loupe.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.DihedralTransform;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The detail test on aligned cells: two flags of one design with another emblem differ in a few
 * cells by far more than a recolouring explains; a resized, brighter or grey copy does not.
 */
class SameInDetailTest {
  private static final Color FIELD = new Color(1, 33, 105);
  private static final Color CANTON = new Color(200, 16, 46);

  /** A blue ensign: a field, a red and white canton, and an emblem drawn in the fly. */
  private static BufferedImage ensign(Consumer<Graphics2D> emblem) {
    BufferedImage image = new BufferedImage(480, 240, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(FIELD);
    g.fillRect(0, 0, 480, 240);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 240, 120);
    g.setColor(CANTON);
    g.fillRect(0, 45, 240, 30);
    g.fillRect(105, 0, 30, 120);
    emblem.accept(g);
    g.dispose();
    return image;
  }

  /** Five small white stars, as drawn at icon sizes: dots. */
  private static void stars(Graphics2D g) {
    g.setColor(Color.WHITE);
    int[][] at = {{360, 50}, {300, 110}, {420, 100}, {390, 170}, {330, 190}};
    for (int[] p : at) {
      g.fillOval(p[0] - 9, p[1] - 9, 18, 18);
    }
  }

  /** A badge: a white shield with a green and brown picture in it. */
  private static void badge(Graphics2D g) {
    g.setColor(Color.WHITE);
    g.fillRoundRect(310, 60, 110, 130, 30, 30);
    g.setColor(new Color(40, 140, 60));
    g.fillRect(322, 110, 86, 60);
    g.setColor(new Color(130, 80, 30));
    g.fillOval(340, 75, 50, 40);
  }

  private static ColourComparison cells(BufferedImage query, BufferedImage hit) {
    return ColourComparison.ofHashMatch(DecodedImage.of(ImageFormat.PNG, query), DecodedImage.of(ImageFormat.PNG, hit),
        DihedralTransform.IDENTITY);
  }

  @Test
  void anotherEmblemOnTheSameEnsignIsNotTheSameInDetail() {
    BufferedImage withStars = ensign(SameInDetailTest::stars);
    BufferedImage withBadge = ensign(SameInDetailTest::badge);
    assertFalse(SimplePictureCheck.sameInDetail(cells(withBadge, withStars)));
    assertFalse(SimplePictureCheck.sameInDetail(cells(withStars, withBadge)));
  }

  @Test
  void editedCopiesAreTheSameInDetail() {
    BufferedImage withBadge = ensign(SameInDetailTest::badge);
    assertTrue(SimplePictureCheck.sameInDetail(cells(withBadge, withBadge)));
    BufferedImage brighter = new RescaleOp(1.15f, 12f, null).filter(withBadge, null);
    assertTrue(SimplePictureCheck.sameInDetail(cells(brighter, withBadge)));
    assertTrue(SimplePictureCheck.sameInDetail(cells(grey(withBadge), withBadge)));
  }

  /** The picture in grey, as a BGR image. */
  private static BufferedImage grey(BufferedImage colour) {
    BufferedImage grey = new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = grey.createGraphics();
    g.drawImage(colour, 0, 0, null);
    g.dispose();
    BufferedImage bgr = new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D h = bgr.createGraphics();
    h.drawImage(grey, 0, 0, null);
    h.dispose();
    return bgr;
  }

  @Test
  void greyCopiesFollowACurveOfLightAndDarkAndAnotherEmblemDoesNot() {
    BufferedImage withBadge = grey(ensign(SameInDetailTest::badge));
    // Contrast raised until the light greys clip to white: a curve, not a line.
    BufferedImage clipped = new RescaleOp(1.625f, -38.4f, null).filter(withBadge, null);
    assertTrue(SimplePictureCheck.sameInDetail(cells(clipped, withBadge)));
    assertTrue(SimplePictureCheck.sameInDetail(cells(withBadge, clipped)));
    assertFalse(SimplePictureCheck.sameInDetail(cells(grey(ensign(SameInDetailTest::stars)), withBadge)));
  }

  @Test
  void misfitShareCountsTheCellsOffTheFit() {
    BufferedImage withStars = ensign(SameInDetailTest::stars);
    ColourComparison same = cells(withStars, withStars);
    assertEquals(0, SimplePictureCheck.misfitShare(same, SimplePictureCheck.MISFIT_LEVELS));
    ColourComparison other = cells(ensign(SameInDetailTest::badge), withStars);
    double share = SimplePictureCheck.misfitShare(other, SimplePictureCheck.MISFIT_LEVELS);
    // Off cells lie in the fly, where the emblems are: never more than its half of the picture.
    assertTrue(share > SimplePictureCheck.MAX_MISFIT_SHARE && share <= 0.5, "share " + share);
  }

  /**
   * A symbolic face icon, 320 pixels a side: a black disc, two white eyes and a white mouth drawn
   * by {@code mouth}.
   */
  private static BufferedImage face(Consumer<Graphics2D> mouth) {
    BufferedImage image = new BufferedImage(320, 320, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 320, 320);
    g.setColor(Color.BLACK);
    g.fillOval(20, 20, 280, 280);
    g.setColor(Color.WHITE);
    g.fillRoundRect(100, 98, 40, 62, 40, 40);
    g.fillRoundRect(180, 98, 40, 62, 40, 40);
    g.setStroke(new BasicStroke(18, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    mouth.accept(g);
    g.dispose();
    return image;
  }

  private static void straightMouth(Graphics2D g) {
    g.drawLine(70, 210, 250, 210);
  }

  /** A frown: the ends of the mouth some 25 pixels below its middle. */
  private static void sadMouth(Graphics2D g) {
    g.drawArc(70, 190, 180, 70, 15, 150);
  }

  private static ColourComparison fineCells(BufferedImage query, BufferedImage hit) {
    return ColourComparison.ofHashMatch(DecodedImage.of(ImageFormat.PNG, query), DecodedImage.of(ImageFormat.PNG, hit),
        DihedralTransform.IDENTITY, SimplePictureCheck.FINE_GRID);
  }

  private static double fineShare(BufferedImage query, BufferedImage hit) {
    return fineCells(query, hit).misfitShare(1, SimplePictureCheck.FINE_MISFIT_LEVELS, true);
  }

  @Test
  void anotherMouthIsOffInSmallCells() {
    BufferedImage plain = face(SameInDetailTest::straightMouth);
    BufferedImage sad = face(SameInDetailTest::sadMouth);
    assertFalse(SimplePictureCheck.sameInFineDetail(fineCells(plain, sad)), "share " + fineShare(plain, sad));
    assertFalse(SimplePictureCheck.sameInFineDetail(fineCells(sad, plain)), "share " + fineShare(sad, plain));
  }

  @Test
  void smallCellsOfAnEditedCopyAgree() throws IOException {
    BufferedImage sad = face(SameInDetailTest::sadMouth);
    assertTrue(SimplePictureCheck.sameInFineDetail(fineCells(sad, sad)));
    BufferedImage brighter = new RescaleOp(1.3f, 20f, null).filter(sad, null);
    assertTrue(SimplePictureCheck.sameInFineDetail(fineCells(brighter, sad)));
    // A quarter of the size, as a downscaled copy is searched.
    BufferedImage small = new BufferedImage(80, 80, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = small.createGraphics();
    g.drawImage(sad.getScaledInstance(80, 80, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    g.dispose();
    assertTrue(SimplePictureCheck.sameInFineDetail(fineCells(small, sad)), "share " + fineShare(small, sad));
    BufferedImage recompressed = jpeg(sad, 0.15f);
    assertTrue(SimplePictureCheck.sameInFineDetail(fineCells(recompressed, sad)), "share " + fineShare(recompressed, sad));
  }

  /** The picture through a JPEG encoder at {@code quality} (0..1) and back. */
  private static BufferedImage jpeg(BufferedImage image, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    BufferedImage bgr = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = bgr.createGraphics();
    g.drawImage(decoded, 0, 0, null);
    g.dispose();
    return bgr;
  }
}
