package dev.loupe.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * Notices when the listening socket is gone while the process lives on, and says so once.
 *
 * <p>Helidon's accept loop ends for good on an unexpected accept failure (for example "Too many
 * open files") and only logs it: the process would stay up, answering nothing, and a supervisor
 * would see it alive. Every {@code period} this watchdog connects to the listener; a refused
 * connection means no socket listens any more, and {@code onLoss} runs (for {@code loupe serve}:
 * exit non-zero so that the supervisor restarts it). Other failures of the probe (no descriptor
 * free for the probe itself, a timeout under load) are not a verdict: the check is repeated.
 * {@link ServerLimits#maxConnections()} keeps clients from using up descriptors in the first place.
 *
 * <p>One named daemon thread; {@link #close()} stops it.
 */
public final class ListenerWatchdog implements AutoCloseable {
  private final Thread thread;

  private ListenerWatchdog(Thread thread) {
    this.thread = thread;
  }

  /**
   * Starts watching {@code host:port} (a wildcard host is probed on loopback).
   *
   * @param onLoss run once, on the watchdog's thread, when the listener refuses a connection
   */
  public static ListenerWatchdog start(String host, int port, Duration period, Runnable onLoss) {
    Objects.requireNonNull(onLoss, "onLoss");
    InetSocketAddress target = new InetSocketAddress(probeAddress(host), port);
    long sleepMillis = Math.max(1, period.toMillis());
    Thread thread = Thread.ofPlatform().name("loupe-listener-watchdog").daemon(true).unstarted(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(sleepMillis);
        } catch (InterruptedException e) {
          return;
        }
        try (Socket socket = new Socket()) {
          socket.connect(target, (int) Math.min(Integer.MAX_VALUE, sleepMillis));
        } catch (ConnectException refused) {
          onLoss.run();
          return;
        } catch (IOException notAVerdict) {
          // no descriptor for the probe, or a slow answer under load: look again later
        }
      }
    });
    thread.start();
    return new ListenerWatchdog(thread);
  }

  private static InetAddress probeAddress(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address;
    } catch (IOException e) {
      return InetAddress.getLoopbackAddress();
    }
  }

  /**
   * Why {@code host:port} cannot be bound now, as the operating system says it ({@code Address
   * already in use}), or null if it can (or the port is 0). Binds and closes a socket to find out.
   */
  static String bindFailure(String host, int port) {
    if (port == 0) {
      return null;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
