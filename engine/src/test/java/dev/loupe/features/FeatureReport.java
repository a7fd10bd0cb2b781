package dev.loupe.features;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prints the distance and similarity figures of {@code docs/features.md}; skipped unless
 * {@code -Dloupe.features.report=true}. Uses the bundled images, or every image in the directory
 * {@code -Dloupe.features.images=DIR}. Images whose names share the part before the first '-' are
 * variants of one artwork (light and dark) and are not counted as unrelated.
 */
class FeatureReport {
  private final FeatureExtractor extractor = new FeatureExtractor();

  @Test
  void report() {
    assumeTrue(Boolean.getBoolean("loupe.features.report"), "set -Dloupe.features.report=true");
    List<TestImages.Named> sources = TestImages.sources("loupe.features.images");
    List<ImageSignature> originals = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    out.append("quality per image:\n");
    for (var s : sources) {
      ImageSignature sig = extractor.extract(TestImages.working(s.image()));
      originals.add(sig);
      out.append(String.format("  %-22s %4d%n", s.name(), sig.quality()));
    }
    int minQuality = FeatureExtractor.MIN_COPY_QUALITY;
    out.append(String.format("%nedit                      hash: median  max | descriptor cos: median   min | rank of original: worst%n"));
    for (CopyEdit edit : CopyEdit.all()) {
      List<Integer> distances = new ArrayList<>();
      List<Double> cosines = new ArrayList<>();
      int worstRank = 1;
      for (int i = 0; i < sources.size(); i++) {
        if (originals.get(i).quality() < minQuality) {
          continue;
        }
        ImageSignature copy = extractor.extract(TestImages.working(edit.apply().apply(sources.get(i).image())));
        distances.add(copy.hash().distance(originals.get(i).hash()));
        if (Boolean.getBoolean("loupe.features.verbose") || (edit.hashCopy() && distances.getLast() > 24)) {
          out.append(String.format("    %-22s %-26s %3d q=%d%n", sources.get(i).name(), edit.name(),
              distances.getLast(), copy.quality()));
        }
        double own = dot(copy.descriptor(), originals.get(i).descriptor());
        cosines.add(own);
        int rank = 1;
        for (int j = 0; j < sources.size(); j++) {
          if (j != i && !related(sources.get(i).name(), sources.get(j).name())
              && dot(copy.descriptor(), originals.get(j).descriptor()) >= own) {
            rank++;
          }
        }
        worstRank = Math.max(worstRank, rank);
        if (rank > 1) {
          out.append(String.format("    %-22s %-26s descriptor rank %d%n", sources.get(i).name(), edit.name(), rank));
        }
      }
      out.append(String.format("%-26s %12d %4d | %19.3f %5.3f | %d%n", edit.name(),
          median(distances), distances.stream().mapToInt(Integer::intValue).max().orElse(-1),
          medianD(cosines), cosines.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
          worstRank));
    }
    // Dihedral: the rotated image against the matching variant of the original.
    List<Integer> dihedral = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      for (DihedralTransform t : DihedralTransform.values()) {
        ImageSignature turned = extractor.extract(TestImages.working(Edits.transform(sources.get(i).image(), t)));
        int d = turned.hash().distance(originals.get(i).dihedral().get(t.ordinal()));
        if (d > 8) {
          out.append(String.format("    %-22s %-26s %3d q=%d%n", sources.get(i).name(), t, d, originals.get(i).quality()));
        }
        if (originals.get(i).quality() >= minQuality) {
          dihedral.add(d);
        }
      }
    }
    out.append(String.format("dihedral variant vs transformed image (quality >= " + minQuality + "): median %d max %d%n",
        median(dihedral), dihedral.stream().mapToInt(Integer::intValue).max().orElse(-1)));

    List<Integer> unrelated = new ArrayList<>();
    List<Integer> unrelatedAnyVariant = new ArrayList<>();
    List<Double> unrelatedCos = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      for (int j = i + 1; j < sources.size(); j++) {
        if (related(sources.get(i).name(), sources.get(j).name())) {
          continue;
        }
        unrelatedCos.add(dot(originals.get(i).descriptor(), originals.get(j).descriptor()));
        if (originals.get(i).quality() < minQuality || originals.get(j).quality() < minQuality) {
          continue;
        }
        unrelated.add(originals.get(i).hash().distance(originals.get(j).hash()));
        int best = 256;
        for (Hash256 v : originals.get(i).dihedral()) {
          best = Math.min(best, v.distance(originals.get(j).hash()));
        }
        unrelatedAnyVariant.add(best);
      }
    }
    out.append(String.format("unrelated pairs (quality >= %d): %d, hash distance min %d median %d max %d;"
            + " min over 8 variants: min %d%n", minQuality, unrelated.size(),
        unrelated.stream().mapToInt(Integer::intValue).min().orElse(-1), median(unrelated),
        unrelated.stream().mapToInt(Integer::intValue).max().orElse(-1),
        unrelatedAnyVariant.stream().mapToInt(Integer::intValue).min().orElse(-1)));
    out.append(String.format("unrelated descriptor cos (all pairs): %d, median %.3f max %.3f%n", unrelatedCos.size(),
        medianD(unrelatedCos), unrelatedCos.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
    System.out.print(out);
  }

  static boolean related(String a, String b) {
    return a.split("[-.]")[0].equals(b.split("[-.]")[0]);
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  private static int median(List<Integer> values) {
    if (values.isEmpty()) {
      return -1;
    }
    int[] v = values.stream().mapToInt(Integer::intValue).sorted().toArray();
    return v[v.length / 2];
  }

  private static double medianD(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }
}
