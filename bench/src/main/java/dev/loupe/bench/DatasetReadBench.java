package dev.loupe.bench;

import blue.strategic.parquet.ParquetWriter;
import dev.loupe.ingest.DatasetSource;
import dev.loupe.ingest.ImageRecord;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast {@link DatasetSource} reads a LAION-layout dataset (SAMPLE_ID, URL, TEXT, HEIGHT,
 * WIDTH) as parquet, JSON Lines and TSV, written here with the same rows; and how many bytes of
 * jars the parquet reader adds to the classpath. Only reading is measured, no fetching.
 */
@Command(name = "dataset-read", mixinStandardHelpOptions = true,
    description = "Dataset reading speed (rows/s) for parquet, JSON Lines and TSV, and the parquet reader's jar size.")
public final class DatasetReadBench implements Callable<Integer> {
  @Option(names = "--rows", description = "Rows per file (default: ${DEFAULT-VALUE}).")
  int rows = 100_000;

  @Option(names = "--runs", description = "Timed reads per format; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs = 7;

  /** Jars that parquet-floor brings (parquet-mr without Hadoop, its codecs). */
  private static final List<String> PARQUET_JARS = List.of("parquet-", "snappy-java", "zstd-jni", "aircompressor",
      "javax.annotation-api");

  @Override
  public Integer call() throws IOException {
    Path dir = Files.createTempDirectory("loupe-dataset-bench");
    try {
      Path parquet = writeParquet(dir.resolve("laion.parquet"));
      Path jsonl = dir.resolve("laion.jsonl");
      Path tsv = dir.resolve("laion.tsv");
      try (Writer j = Files.newBufferedWriter(jsonl); Writer t = Files.newBufferedWriter(tsv)) {
        t.write("SAMPLE_ID\tURL\tTEXT\tHEIGHT\tWIDTH\n");
        for (int i = 0; i < rows; i++) {
          j.write("{\"SAMPLE_ID\": " + i + ", \"URL\": \"" + url(i) + "\", \"TEXT\": \"" + caption(i)
              + "\", \"HEIGHT\": 256, \"WIDTH\": 256}\n");
          t.write(i + "\t" + url(i) + "\t" + caption(i) + "\t256\t256\n");
        }
      }
      System.out.printf("%d rows; files: parquet %d bytes, jsonl %d bytes, tsv %d bytes%n", rows,
          Files.size(parquet), Files.size(jsonl), Files.size(tsv));
      for (Path file : List.of(parquet, jsonl, tsv)) {
        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
          long start = System.nanoTime();
          long n = 0;
          long chars = 0;
          for (ImageRecord record : new DatasetSource(file)) {
            n++;
            chars += record.location().length() + record.title().length();
          }
          if (n != rows || chars == 0) {
            throw new IllegalStateException(file + ": read " + n + " rows, expected " + rows);
          }
          rates[r] = n / ((System.nanoTime() - start) / 1e9);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf("%-8s median %,.0f rows/s (runs: %s)%n", file.getFileName().toString().replace("laion.", ""),
            sorted[runs / 2], Arrays.stream(rates).mapToObj(x -> String.format("%,.0f", x)).toList());
      }
      long bytes = 0;
      List<String> jars = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        String name = new File(entry).getName();
        if (PARQUET_JARS.stream().anyMatch(name::startsWith) && name.endsWith(".jar")) {
          bytes += new File(entry).length();
          jars.add(name);
        }
      }
      System.out.printf("parquet reader jars: %,d bytes (%s)%n", bytes, String.join(", ", jars));
      return 0;
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String url(int i) {
    return "https://img" + (i % 500) + ".example/" + i + ".jpg";
  }

  private static String caption(int i) {
    return "caption number " + i + " of a picture";
  }

  private Path writeParquet(Path file) throws IOException {
    MessageType schema = Types.buildMessage()
        .required(PrimitiveTypeName.INT64).named("SAMPLE_ID")
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("URL")
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("TEXT")
        .required(PrimitiveTypeName.INT32).named("HEIGHT")
        .required(PrimitiveTypeName.INT32).named("WIDTH")
        .named("laion");
    try (ParquetWriter<Integer> writer = ParquetWriter.writeFile(schema, file.toFile(), (i, out) -> {
      out.write("SAMPLE_ID", (long) i);
      out.write("URL", url(i));
      out.write("TEXT", caption(i));
      out.write("HEIGHT", 256);
      out.write("WIDTH", 256);
    })) {
      for (int i = 0; i < rows; i++) {
        writer.write(i);
      }
    }
    return file;
  }
}
