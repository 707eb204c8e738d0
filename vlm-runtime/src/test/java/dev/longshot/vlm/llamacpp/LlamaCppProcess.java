package dev.longshot.vlm.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Launches {@link LlamaCppOracle} in a forked JVM on this JVM's classpath and parses what it prints. The child is
 * always ended (destroyed if it overruns its time limit).
 */
public final class LlamaCppProcess {
  /** One generated piece: its text, llama.cpp's top probabilities (piece text to probability) and arrival time. */
  public record Piece(String text, Map<String, Float> probs, long nanos) {}

  /** The oracle's answer. */
  public record Result(int[] promptIds, long startNanos, List<Piece> pieces, String log) {
    public String text() {
      StringBuilder sb = new StringBuilder();
      pieces.forEach(p -> sb.append(p.text()));
      return sb.toString();
    }
  }

  private LlamaCppProcess() {}

  /** One result per prompt, in order. */
  public static List<Result> run(Path model, int threads, int nPredict, int nProbs, List<String> prompts,
      long timeoutSeconds) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the binding extracts its native library into the temporary directory under a fixed name: a directory of its
    // own (beside the model) keeps concurrent oracles (other JVMs on the machine) from loading a half-written copy
    Path tmp = Files.createTempDirectory(model.toAbsolutePath().getParent(), "llamacpp-oracle");
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-Djava.io.tmpdir=" + tmp, "-Dde.kherud.llama.tmpdir=" + tmp, "-cp",
        System.getProperty("java.class.path"), LlamaCppOracle.class.getName(), model.toString(),
        String.valueOf(threads), String.valueOf(nPredict), String.valueOf(nProbs)));
    cmd.addAll(prompts);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    ObjectMapper om = new ObjectMapper();
    List<Result> results = new ArrayList<>();
    List<Piece> pieces = null;
    int[] ids = null;
    long start = 0;
    StringBuilder log = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.startsWith("@@")) {
          log.append(line).append('\n');
          continue;
        }
        JsonNode n = om.readTree(line.substring(2));
        switch (n.path("type").asText()) {
          case "encode" -> {
            if (ids != null) {
              results.add(new Result(ids, start, pieces, ""));
            }
            pieces = new ArrayList<>();
            ids = new int[n.path("ids").size()];
            for (int i = 0; i < ids.length; i++) {
              ids[i] = n.path("ids").get(i).asInt();
            }
          }
          case "start" -> start = n.path("nanos").asLong();
          case "piece" -> {
            Map<String, Float> probs = new LinkedHashMap<>();
            n.path("probs").fields().forEachRemaining(e -> probs.put(e.getKey(), (float) e.getValue().asDouble()));
            pieces.add(new Piece(n.path("text").asText(), probs, n.path("nanos").asLong()));
          }
          default -> { }
        }
      }
    } finally {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      try (var files = Files.walk(tmp)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      } catch (IOException e) {
        // best effort: the directory lies beside the model, which the caller removes
      }
    }
    if (ids != null) {
      results.add(new Result(ids, start, pieces, log.toString()));
    }
    if (results.size() != prompts.size() || p.exitValue() != 0) {
      throw new IOException("llama.cpp oracle failed (exit " + p.exitValue() + ", " + results.size() + " of "
          + prompts.size() + " results):\n" + log);
    }
    return results;
  }
}
