package dev.loupe.app;

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
      SearchCommand.class,
      StatsCommand.class,
      DeleteCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code: 0 success, 1 failure, 2 usage error. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
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
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"loupe " + (v == null ? "(development build)" : v)};
    }
  }
}
