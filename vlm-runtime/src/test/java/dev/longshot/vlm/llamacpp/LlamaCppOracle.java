package dev.longshot.vlm.llamacpp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs llama.cpp (through its Java binding, {@code de.kherud:llama}) in its own JVM and prints one JSON object per
 * line on stdout, prefixed with {@code @@}: the prompt's token ids, then per generated piece its text, top
 * probabilities and the nanoTime it arrived. Launched by {@link LlamaCppProcess}; the binding's worker threads
 * outlive {@code close()}, so this process ends itself with {@code System.exit}.
 * Usage: {@code LlamaCppOracle MODEL THREADS N_PREDICT N_PROBS PROMPT...} (one generation per prompt). Token
 * probabilities ({@code N_PROBS > 0}) crash binding 4.1.0 (a JSON key assertion in its server code), so tests pass 0.
 */
public final class LlamaCppOracle {
  private LlamaCppOracle() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ObjectMapper om = new ObjectMapper();
    String model = args[0];
    int threads = Integer.parseInt(args[1]);
    int nPredict = Integer.parseInt(args[2]);
    int nProbs = Integer.parseInt(args[3]);
    LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> { });
    ModelParameters mp = new ModelParameters().setModel(model).setThreads(threads).setThreadsBatch(threads)
        .setCtxSize(4096).setBatchSize(2048).setUbatchSize(512).setGpuLayers(0).setParallel(1);
    int code = 0;
    try (LlamaModel m = new LlamaModel(mp)) {
      for (int a = 4; a < args.length; a++) {
        generate(m, om, out, args[a], nPredict, nProbs);
      }
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    out.println("@@{\"type\":\"end\"}");
    out.flush();
    System.exit(code);
  }

  private static void generate(LlamaModel m, ObjectMapper om, PrintStream out, String prompt, int nPredict,
      int nProbs) throws Exception {
    {
      ObjectNode enc = om.createObjectNode();
      enc.put("type", "encode");
      var ids = enc.putArray("ids");
      for (int id : m.encode(prompt)) {
        ids.add(id);
      }
      out.println("@@" + om.writeValueAsString(enc));
      InferenceParameters ip = new InferenceParameters(prompt).setTemperature(0f).setNPredict(nPredict)
          .setNProbs(nProbs).setSeed(1).setCachePrompt(false).setUseChatTemplate(false).setTopK(1);
      long start = System.nanoTime();
      ObjectNode st = om.createObjectNode();
      st.put("type", "start").put("nanos", start);
      out.println("@@" + om.writeValueAsString(st));
      for (LlamaOutput o : m.generate(ip)) {
        ObjectNode n = om.createObjectNode();
        n.put("type", "piece").put("text", o.text).put("nanos", System.nanoTime());
        ObjectNode probs = n.putObject("probs");
        o.probabilities.forEach(probs::put);
        out.println("@@" + om.writeValueAsString(n));
      }
    }
  }
}
