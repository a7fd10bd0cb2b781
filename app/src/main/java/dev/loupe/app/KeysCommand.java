package dev.loupe.app;

import dev.loupe.store.KeyStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loupe keys add|list|revoke}: the server's named API keys, kept hashed in the data
 * directory's {@code keys.db}. A running {@code loupe serve} on the same data directory sees a key
 * added or revoked here within a second, without a restart.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    header = "Add, list and revoke the server's API keys.",
    description = {
      "Add, list and revoke the server's API keys. Keys are kept hashed in <data>/keys.db; a running server on the",
      "same data directory accepts an added key and refuses a revoked one within a second, without a restart."
    },
    subcommands = {KeysCommand.AddCommand.class, KeysCommand.ListCommand.class, KeysCommand.RevokeCommand.class})
final class KeysCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Make a key named NAME and print it once; only its hash is kept.")
  static final class AddCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataDirOption data;

    @Parameters(paramLabel = "NAME", description = "1 to 64 letters, digits, '.', '-' or '_'; shown in `keys list` and /v1/usage.")
    String name;

    @Override
    public Integer call() throws IOException {
      try (KeyStore store = KeyStore.open(data.config().dataDir())) {
        String key = store.add(name, Instant.now());
        PrintWriter out = spec.commandLine().getOut();
        out.println(key);
        spec.commandLine().getErr().println("loupe keys: added '" + name + "'. The key above is shown once: keep it;"
            + " send it as 'Authorization: Bearer <key>'.");
        return 0;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys: name, created, last used.")
  static final class ListCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataDirOption data;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      List<KeyStore.KeyInfo> keys;
      try (KeyStore store = KeyStore.open(data.config().dataDir())) {
        keys = store.list();
      }
      if (keys.isEmpty()) {
        out.println("no keys (loupe keys add NAME makes one)");
        return 0;
      }
      out.printf("%-24s %-24s %s%n", "NAME", "CREATED", "LAST USED");
      for (KeyStore.KeyInfo key : keys) {
        out.printf("%-24s %-24s %s%n", key.name(), key.created(), key.lastUsed() == null ? "never" : key.lastUsed());
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke the key named NAME; its usage stays.")
  static final class RevokeCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataDirOption data;

    @Parameters(paramLabel = "NAME", description = "The key's name, as `keys list` shows it.")
    String name;

    @Override
    public Integer call() throws IOException {
      try (KeyStore store = KeyStore.open(data.config().dataDir())) {
        store.revoke(name);
      }
      spec.commandLine().getErr().println("loupe keys: revoked '" + name + "'.");
      return 0;
    }
  }
}
