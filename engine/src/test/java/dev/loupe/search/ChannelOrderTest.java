package dev.loupe.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.DihedralTransform;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import org.junit.jupiter.api.Test;

/**
 * The tone-curve test of two indexed pictures: Belgium's black, yellow and red bands against
 * Chad's dark blue, yellow and red pass the saturation and tint fit, but no curve of the blue
 * channel turns one into the other; a brighter, more contrasted copy keeps every channel's order,
 * and a captioned copy keeps it over the cells a recolouring explains best.
 */
class ChannelOrderTest {
  private static BufferedImage tricolour(Color left, Color middle, Color right) {
    // On white, as flag icons are drawn: a picture all of one band's colour at an edge would be
    // trimmed to its middle as a border.
    BufferedImage image = new BufferedImage(400, 280, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 400, 280);
    Color[] bands = {left, middle, right};
    for (int i = 0; i < 3; i++) {
      g.setColor(bands[i]);
      g.fillRect(20 + 120 * i, 20, 120, 240);
    }
    g.dispose();
    return image;
  }

  private static ColourComparison cells(BufferedImage query, BufferedImage hit) {
    return ColourComparison.ofHashMatch(DecodedImage.of(ImageFormat.PNG, query), DecodedImage.of(ImageFormat.PNG, hit),
        DihedralTransform.IDENTITY);
  }

  private static final BufferedImage BELGIUM =
      tricolour(new Color(29, 29, 29), new Color(255, 221, 35), new Color(243, 29, 52));
  private static final BufferedImage CHAD =
      tricolour(new Color(29, 29, 116), new Color(255, 255, 24), new Color(255, 5, 5));

  @Test
  void bandsOfOtherHuesBreakTheOrderOfAChannel() {
    ColourComparison pair = cells(BELGIUM, CHAD);
    assertTrue(pair.channelOrderMisfitShare(SimplePictureCheck.ORDER_LEVELS) > SimplePictureCheck.MAX_ORDER_MISFIT);
    assertFalse(SimplePictureCheck.keepsChannelOrder(pair));
    assertFalse(SimplePictureCheck.keepsChannelOrder(cells(CHAD, BELGIUM)));
  }

  @Test
  void brightnessAndContrastKeepEveryChannelsOrder() {
    BufferedImage brighter = new RescaleOp(1.625f, -38.4f, null).filter(BELGIUM, null);
    ColourComparison pair = cells(brighter, BELGIUM);
    assertEquals(0, pair.channelOrderMisfitShare(SimplePictureCheck.ORDER_LEVELS));
    assertTrue(SimplePictureCheck.keepsChannelOrder(pair));
    assertEquals(0, cells(BELGIUM, BELGIUM).channelOrderMisfitShare(1));
  }

  @Test
  void aCaptionOverACopyIsLeftOutOfTheTrimmedTest() {
    BufferedImage captioned = new BufferedImage(400, 280, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = captioned.createGraphics();
    g.drawImage(BELGIUM, 0, 0, null);
    g.setColor(new Color(30, 30, 60));
    g.fillRect(0, 190, 400, 90);
    g.setColor(Color.WHITE);
    g.setFont(g.getFont().deriveFont(40f));
    g.drawString("LOREM IPSUM", 60, 250);
    g.dispose();
    ColourComparison pair = cells(captioned, BELGIUM);
    // The band's cells, one colour in the query over every colour of the flag, pool the whole
    // curve: untrimmed, every cell is off.
    assertFalse(SimplePictureCheck.keepsChannelOrder(pair));
    assertTrue(SimplePictureCheck.keepsChannelOrder(pair.trimmed(SimplePictureCheck.SWAP_KEEP)));
  }

  @Test
  void aGreySideIsLeftToTheLuma() {
    BufferedImage grey = tricolour(new Color(29, 29, 29), new Color(211, 211, 211), new Color(106, 106, 106));
    assertTrue(SimplePictureCheck.keepsChannelOrder(cells(grey, CHAD)));
  }
}
