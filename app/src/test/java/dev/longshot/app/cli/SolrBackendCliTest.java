package dev.longshot.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.app.DataDirLock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 through the command line: {@code index.backend: solrcloud} reaches app's {@code EvidenceIndexes}, and an
 * unreachable cluster ends the command with one line naming the address (after the default retries), releasing
 * the data directory. The cluster tests themselves are index-solr's.
 */
class SolrBackendCliTest {
  @TempDir Path tmp;

  @Test
  void anUnreachableClusterIsOneLineNamingItsAddress() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/solr";
    Path config = tmp.resolve("longshot.yaml");
    Files.writeString(config, "data:\n  dir: " + tmp.resolve("data") + "\nindex:\n  backend: solrcloud\n  solr:\n    urls: " + url
        + "\n    timeout: 200ms\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"ask", "what is the budget?", "--config", config.toString()},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String[] lines = err.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(code).isEqualTo(1);
    assertThat(lines[lines.length - 1]).startsWith("longshot ask failed: Cannot reach SolrCloud at Solr " + url)
        .contains("after 5 tries");
    DataDirLock.acquire(tmp.resolve("data")).close(); // released
  }
}
