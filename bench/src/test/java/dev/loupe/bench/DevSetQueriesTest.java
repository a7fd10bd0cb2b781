package dev.loupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSetQueriesTest {
  @TempDir Path devset;

  @Test
  void readsTheQueriesOfTheChosenEditsWithoutNegatives() throws IOException {
    Files.writeString(devset.resolve("manifest.csv"), """
        query_file,edit,expected_original_file
        queries/crop50/a.jpg,crop50,originals/a.jpg
        queries/caption/a.jpg,caption,originals/a.jpg
        queries/blur/a.jpg,blur,originals/a.jpg
        negatives/n1-crop50.jpg,crop50,
        """);
    List<DevSetQueries.Query> read = DevSetQueries.read(devset, Set.of("crop50", "caption"));
    assertEquals(List.of(
        new DevSetQueries.Query(devset.resolve("queries/crop50/a.jpg"), "crop50", devset.resolve("originals/a.jpg")),
        new DevSetQueries.Query(devset.resolve("queries/caption/a.jpg"), "caption", devset.resolve("originals/a.jpg"))),
        read);
  }

  @Test
  void negativesAreReadWhenAskedForWithoutAnOriginal() throws IOException {
    Files.writeString(devset.resolve("manifest.csv"), """
        query_file,edit,expected_original_file
        queries/crop50/a.jpg,crop50,originals/a.jpg
        negatives/n1-crop50.jpg,crop50,
        """);
    List<DevSetQueries.Query> read = DevSetQueries.read(devset, Set.of("negatives"));
    assertEquals(List.of(new DevSetQueries.Query(devset.resolve("negatives/n1-crop50.jpg"), "negatives", null)), read);
    Files.createDirectories(devset.resolve("negatives"));
    assertEquals(List.of("negatives"), DevSetQueries.present(devset, List.of("negatives", "rotate90")));
  }

  @Test
  void presentKeepsTheEditsWithAFolderInOrder() throws IOException {
    Files.createDirectories(devset.resolve("queries/rotate90"));
    Files.createDirectories(devset.resolve("queries/crop50"));
    assertEquals(List.of("crop50", "rotate90"),
        DevSetQueries.present(devset, List.of("crop50", "perspective", "rotate90")));
  }

  @Test
  void imagesAreSortedAndFiltered() throws IOException {
    for (String name : List.of("b.jpg", "a.png", "notes.txt", "c.webp")) {
      Files.writeString(devset.resolve(name), "x");
    }
    assertEquals(List.of(devset.resolve("a.png"), devset.resolve("b.jpg"), devset.resolve("c.webp")),
        DevSetQueries.images(devset));
  }

  @Test
  void aMissingManifestSaysHowToBuildIt() {
    IOException e = assertThrows(IOException.class, () -> DevSetQueries.read(devset, Set.of("crop50")));
    assertEquals("no dev set at " + devset + ": run bench/fetch-data.sh first", e.getMessage());
  }
}
