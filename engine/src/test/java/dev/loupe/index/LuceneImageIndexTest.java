package dev.loupe.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.VisualWords;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LuceneImageIndexTest extends ImageIndexContractTestCase {
  @Override
  protected ImageIndex open(Path dir) throws IOException {
    return LuceneImageIndex.open(dir.resolve("index"));
  }

  @Test
  void wordVotesStartFromZeroForEveryQueryAndSegment() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    List<LocalFeatures> keypoints = new ArrayList<>();
    try (ImageIndex index = open(dir)) {
      for (int i = 0; i < 60; i++) {
        ImageSignature sig = gen.randomSignature().withLocal(gen.randomKeypoints(150));
        keypoints.add(sig.local());
        index.add(sig, new ImageMetadata("jpeg", 64, 64, new byte[0]),
            Occurrence.of("img" + i, null, null, "img" + i, Instant.EPOCH));
        if (i % 20 == 19) {
          index.commit(); // three segments
        }
      }
      var a = VisualWords.probed(gen.noisyPart(keypoints.get(5), 60, 4));
      var b = VisualWords.probed(gen.noisyPart(keypoints.get(45), 90, 4));
      List<KeypointCandidate> first = index.sharingWords(a, 10, IndexFilter.NONE);
      index.sharingWords(b, 10, IndexFilter.NONE);
      List<KeypointCandidate> again = index.sharingWords(a, 10, IndexFilter.NONE);
      assertEquals(summary(first), summary(again));
      assertEquals(summary(index.sharingWords(b, 10, IndexFilter.NONE)),
          summary(index.sharingWords(b, 10, IndexFilter.NONE)));
    }
  }

  private static List<String> summary(List<KeypointCandidate> candidates) {
    return candidates.stream().map(c -> c.image().id() + ":" + c.score() + ":" + c.sharedWords()).toList();
  }
}
