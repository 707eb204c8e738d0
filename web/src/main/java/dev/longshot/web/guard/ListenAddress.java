package dev.longshot.web.guard;

import dev.longshot.config.ServerSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The start-up rule for {@code server.address}: only loopback may go without {@code server.api-key}. */
public final class ListenAddress {
  private ListenAddress() {}

  /** @throws IllegalArgumentException naming what to set, when the address is not loopback and no key is set */
  public static void requireSafe(ServerSettings server) {
    if (server.apiKey() != null || isLoopback(server.address())) {
      return;
    }
    throw new IllegalArgumentException("server.address is " + server.address() + ", which other machines can reach, "
        + "and no server.api-key is set, so anyone on the network could read, upload and delete videos. Set "
        + "server.api-key (or LONGSHOT_SERVER_API_KEY), or listen on loopback only with server.address: 127.0.0.1");
  }

  static boolean isLoopback(String address) {
    try {
      for (InetAddress a : InetAddress.getAllByName(address)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("server.address " + address + " is not a known host name or address", e);
    }
  }
}
