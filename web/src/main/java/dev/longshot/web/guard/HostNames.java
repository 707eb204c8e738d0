package dev.longshot.web.guard;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The names a request's {@code Host} header may carry: loopback names and addresses, this machine's host names
 * and interface addresses, the configured {@code server.address}, and every {@code server.allowed-hosts} entry.
 * Anything else is a page on another site that resolved its own name to this machine (DNS rebinding). Computed
 * once at start; immutable and thread-safe.
 */
public final class HostNames {
  private final Set<String> allowed;

  public HostNames(String address, Collection<String> allowedHosts) {
    Set<String> names = new HashSet<>(Set.of("localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1"));
    names.add(address.toLowerCase(Locale.ROOT));
    names.addAll(allowedHosts);
    try {
      InetAddress local = InetAddress.getLocalHost();
      names.add(local.getHostName().toLowerCase(Locale.ROOT));
      names.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
    } catch (UnknownHostException e) {
      // no resolvable own name: loopback and addresses still work
    }
    try {
      for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
        nif.inetAddresses().forEach(a -> names.add(strip(a.getHostAddress())));
      }
    } catch (SocketException e) {
      // interfaces cannot be listed: configured names still work
    }
    this.allowed = Set.copyOf(names);
  }

  /** True when the {@code Host} header value (name or address, optional port) names this server. */
  public boolean accepts(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return false;
    }
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    String name;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      if (end < 0) {
        return false;
      }
      name = h.substring(1, end);
    } else {
      int colon = h.lastIndexOf(':');
      name = colon >= 0 ? h.substring(0, colon) : h;
    }
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return allowed.contains(name) || name.startsWith("127.") && name.matches("127(\\.\\d{1,3}){3}");
  }

  private static String strip(String address) {
    int zone = address.indexOf('%');
    return (zone >= 0 ? address.substring(0, zone) : address).toLowerCase(Locale.ROOT);
  }
}
