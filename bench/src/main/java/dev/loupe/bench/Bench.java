package dev.loupe.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code bench <scale|ingest|keypoints|quality|...>}. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Loupe's benchmarks.",
    subcommands = {QualityBench.class, SimpleSetBuilder.class, LikenessBench.class, LikenessSetBuilder.class, EmbeddingBench.class, HybridBench.class, ScaleBench.class, IngestBench.class, CrawlBench.class, DatasetReadBench.class, ServeBench.class, SoakBench.class, StoreBench.class, DecodeMemoryBench.class, KeypointBench.class, TraceBench.class, DevSetBuilder.class, CommandLine.HelpCommand.class})
public final class Bench implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
