package dev.loupe.app;

import dev.loupe.engine.LoupeConfig;
import dev.loupe.models.CatalogueEntry;
import dev.loupe.models.InstalledModel;
import dev.loupe.models.ModelCatalogue;
import dev.loupe.models.ModelHub;
import dev.loupe.models.ModelStore;
import dev.loupe.models.ModelStoreException;
import dev.loupe.models.PullProgress;
import dev.loupe.models.VerifiedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loupe models list|pull|verify}: the named embedding models, downloaded only when asked. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "List, download and check embedding models. Nothing is ever downloaded except by `loupe models pull`.",
      "Models are installed in <data>/models/NAME (or --models DIR); use one with --model <data>/models/NAME."
    },
    subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.PullCommand.class, ModelsCommand.VerifyCommand.class})
final class ModelsCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The options every subcommand takes: where the data and the models are. */
  static final class Place {
    @Mixin DataDirOption data;

    @Option(names = "--models", paramLabel = "DIR", description = "Models directory (default: <data>/models).")
    Path models;

    ModelStore store() {
      return new ModelStore(models != null ? models : data.config().dataDir().resolve("models"));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "The catalogue's models and the installed ones, with whether their files are complete.")
  static final class ListCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Place place;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      ModelStore store = place.store();
      Map<String, InstalledModel> installed = new LinkedHashMap<>();
      for (InstalledModel model : store.installed()) {
        installed.put(model.name(), model);
      }
      out.println("models directory: " + store.dir());
      for (CatalogueEntry entry : ModelCatalogue.builtin().entries()) {
        InstalledModel model = installed.remove(entry.name());
        out.printf("%-28s %s%n    %s: %s%n", entry.name(),
            model == null ? "not installed" : "installed, " + model.state(), entry.repository(), entry.description());
      }
      for (InstalledModel model : installed.values()) {
        out.printf("%-28s installed, %s%n    not in the catalogue%s%n", model.name(), model.state(),
            model.repository() == null ? "" : "; pulled from " + model.repository());
      }
      return 0;
    }
  }

  @Command(name = "pull", mixinStandardHelpOptions = true,
      description = {
        "Download a catalogue model over HTTPS from the Hugging Face hub (or --mirror), checking each file's",
        "SHA-256 (Git blob id for small files) against the hub's listing. An interrupted pull resumes where it",
        "stopped when run again. The model is installed only once every file is checked and it opens."
      })
  static final class PullCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Place place;

    @Parameters(paramLabel = "NAME", description = "A catalogue name (see `loupe models list`).")
    String name;

    @Option(names = "--mirror", paramLabel = "URL",
        description = "A hub mirror serving the hub's paths (/api/models/..., /OWNER/NAME/resolve/...) instead of "
            + "the hub. A mirror on loopback or a private network needs --allow-private-addresses.")
    URI mirror;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws ModelStoreException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ModelCatalogue catalogue = ModelCatalogue.builtin();
      CatalogueEntry entry = catalogue.find(name).orElseThrow(() -> new ModelStoreException(
          "unknown model " + name + "; the catalogue has: " + catalogue.names()));
      ModelStore store = place.store();
      Path target = store.modelDir(entry.name());
      if (Files.exists(target)) {
        out.printf("%s is already installed in %s; `loupe models verify %s` checks it%n", entry.name(), target,
            entry.name());
        return 0;
      }
      LoupeConfig config = place.data.config();
      ProgressLine line = new ProgressLine(err, System.console() != null && System.console().isTerminal());
      try (ModelHub hub = new ModelHub(mirror != null ? mirror : catalogue.hub(), config.fetchPolicy())) {
        Path dir = store.pull(entry, hub, p -> {
          if (!quiet) {
            line.show(format(p), p.fileNumber() == p.fileCount() && p.bytes() == p.size());
          }
        });
        out.printf("installed %s in %s; use it with --model %s%n", entry.name(), dir, dir);
      } finally {
        line.finish();
      }
      return 0;
    }

    static String format(PullProgress p) {
      return String.format("%s (%d/%d) %s of %s", p.file(), p.fileNumber(), p.fileCount(), megabytes(p.bytes()),
          megabytes(p.size()));
    }

    private static String megabytes(long bytes) {
      return String.format("%.1f MB", bytes / 1e6);
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Recompute the SHA-256 of a pulled model's files against those recorded at pull, then open it.")
  static final class VerifyCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Place place;

    @Parameters(paramLabel = "NAME|DIR", description = "An installed model's name, or a model directory.")
    String model;

    @Override
    public Integer call() throws ModelStoreException {
      ModelStore store = place.store();
      Path dir = model.contains("/") || model.contains(java.io.File.separator) ? Path.of(model) : store.modelDir(model);
      VerifiedModel v = store.verify(dir);
      spec.commandLine().getOut().printf("ok: %s: %s; opens as a model of dimension %d %s%n", v.dir(),
          v.hasManifest() ? v.checkedFiles() + " files match the SHA-256 recorded at pull"
              : "no pull manifest, so no checksums to compare",
          v.dimension(), v.understandsText() ? "with a text tower" : "without a text tower (image-only)");
      return 0;
    }
  }
}
