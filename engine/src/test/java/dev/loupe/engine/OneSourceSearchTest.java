package dev.loupe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.Edits;
import dev.loupe.image.TestImages;
import dev.loupe.index.IndexedImage;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simple picture's copy comes from one picture: the grey version of a tricolour is a copy of it
 * and of its smaller copy; when another tricolour, whose bands are as light and as dark in other
 * colours, is indexed too, the grey pixels fit both and neither is claimed.
 */
class OneSourceSearchTest {
  /** Band lumas 104, 201 and 108. */
  private static final Color[] ORIGINAL = {new Color(0, 158, 96), new Color(252, 209, 22), new Color(58, 117, 196)};
  /** Other hues, band lumas 108, 189 and 110: the same light and dark within a few levels. */
  private static final Color[] OTHER = {new Color(220, 60, 60), new Color(150, 200, 230), new Color(150, 80, 160)};

  @TempDir static Path dir;
  private static Loupe loupe;
  private static Loupe sameOnly;

  @BeforeAll
  static void index() throws Exception {
    loupe = open("pictures", true);
    sameOnly = open("same-only", false);
  }

  /** The original and its smaller copy, and with {@code other} the other tricolour too. */
  private static Loupe open(String name, boolean other) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name));
    BufferedImage original = tricolour(ORIGINAL);
    Files.write(folder.resolve("original.png"), TestImages.encode(original, "png"));
    Files.write(folder.resolve("original-small.jpg"), TestImages.encode(Edits.resize(original, 240, 180), "jpeg"));
    if (other) {
      Files.write(folder.resolve("other.png"), TestImages.encode(tricolour(OTHER), "png"));
    }
    Loupe opened = Loupe.open(LoupeConfig.defaults(dir.resolve(name + "-data")));
    opened.ingestor().run(DirectorySource.scan(folder), p -> { });
    return opened;
  }

  @AfterAll
  static void close() throws Exception {
    loupe.close();
    sameOnly.close();
  }

  private static BufferedImage tricolour(Color[] bands) {
    return SimplePictureSearchTest.tricolour(bands[0], bands[1], bands[2]);
  }

  private static String idOf(String file) throws Exception {
    return IndexedImage.idOf(loupe.analyzer().analyze(Files.readAllBytes(dir.resolve("pictures").resolve(file)))
        .signature().pixelKey());
  }

  private static Map<String, MatchKind> kinds(List<SearchHit> hits) {
    return hits.stream().collect(Collectors.toMap(SearchHit::id, SearchHit::match));
  }

  private static byte[] greyQuery() throws Exception {
    return TestImages.encode(Edits.grayscale(tricolour(ORIGINAL)), "jpeg");
  }

  @Test
  void theGreyCopyClaimsItsPictureAndItsSmallerCopy() throws Exception {
    Map<String, MatchKind> kinds = kinds(sameOnly.search(greyQuery(), SearchRequest.defaults()));
    assertTrue(kinds.get(idOf("original.png")).isCopy(), "the grey copy lost its claim: " + kinds);
    assertTrue(kinds.get(idOf("original-small.jpg")).isCopy(), "the smaller copy lost its claim: " + kinds);
  }

  @Test
  void aGreyCopyThatFitsTwoDifferentPicturesClaimsNeither() throws Exception {
    List<SearchHit> hits = loupe.search(greyQuery(), SearchRequest.defaults());
    Map<String, MatchKind> kinds = kinds(hits);
    assertEquals(MatchKind.SIMILAR, kinds.get(idOf("other.png")), "the other tricolour: " + kinds);
    assertEquals(MatchKind.SIMILAR, kinds.get(idOf("original.png")), "the original: " + kinds);
    assertTrue(hits.stream().noneMatch(h -> h.match().isCopy()), "a copy claimed: " + kinds);
  }
}
