package dev.loupe.index;

import java.io.IOException;
import java.nio.file.Path;

class LuceneImageIndexTest extends ImageIndexContractTestCase {
  @Override
  protected ImageIndex open(Path dir) throws IOException {
    return LuceneImageIndex.open(dir.resolve("index"));
  }
}
