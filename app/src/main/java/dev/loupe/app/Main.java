package dev.loupe.app;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code loupe} command. */
@Command(
    name = "loupe",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Self-hosted search by image: index a collection, then search it with an image.",
    subcommands = {
      IndexCommand.class,
      CrawlCommand.class,
      SearchCommand.class,
      ReembedCommand.class,
      UpgradeCommand.class,
      ModelsCommand.class,
      StatsCommand.class,
      DeleteCommand.class,
      ListCommand.class,
      ExportCommand.class,
      DemoCommand.class,
      ServeCommand.class,
      McpCommand.class,
      KeysCommand.class,
      ResponsesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Also print the libraries' INFO logs (by default only warnings and errors).")
  void verbose(boolean verbose) {
    LogLevels.apply(verbose);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code: 0 success, 1 failure, 2 usage error. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /**
   * Runs the command line with its output going to {@code out} and {@code err}; through the data
   * directory's running server when there is one ({@link RemoteCommand}).
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    LogLevels.apply(false);
    var remote = RemoteCommand.tryRun(out, err, args);
    return remote.isPresent() ? remote.getAsInt() : runHere(out, err, args);
  }

  /** Runs the command line in this process. */
  static int runHere(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, line, parse) -> {
      line.getErr().println("loupe: " + Messages.describe(e));
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {BuildInfo.load().line()};
    }
  }
}
