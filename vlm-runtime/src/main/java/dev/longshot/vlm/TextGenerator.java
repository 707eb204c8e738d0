package dev.longshot.vlm;

import dev.longshot.config.VlmAttention;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.attention.KvCachePolicy;
import dev.longshot.vlm.attention.sparse.AttentionPatterns;
import dev.longshot.vlm.attention.sparse.MMInferenceAttention;
import dev.longshot.vlm.attention.sparse.ModalityLayout;
import dev.longshot.vlm.chat.ChatMessage;
import dev.longshot.vlm.model.LoadedModel;
import dev.longshot.vlm.model.ModelConfig;
import dev.longshot.vlm.model.ModelFingerprint;
import dev.longshot.vlm.model.Transformer;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.sample.Sampler;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tokenizer.StreamDecoder;
import dev.longshot.vlm.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Text generation with an embedded model: load once, then call {@link #generate} per prompt. Each call uses a fresh
 * KV cache of {@code contextLength} entries; calls are serialised (one generation at a time per instance).
 * Close it to stop the kernel threads.
 */
public final class TextGenerator implements AutoCloseable {
  /** Called once per generated token with its id and the logits it was sampled from (before penalties). */
  @FunctionalInterface
  public interface StepListener {
    void onStep(int token, float[] logits);
  }

  private static final int PREFILL_CHUNK = 256;
  /** Sparse prefill takes bigger batches: its patterns estimate from a batch's last queries. */
  private static final int SPARSE_PREFILL_CHUNK = 4096;

  /**
   * Figures of the last {@link #generate} call, for {@code generate --stats}.
   *
   * @param prefillTokens prompt tokens
   * @param prefillMillis wall time of the prompt's forward passes
   * @param decodeTokens tokens generated after the prompt (forward passes of one token)
   * @param decodeMillis wall time of those passes
   * @param kvBytes bytes of keys and values held in the cache at the end
   * @param attentionBlockShare share of the causal 64x64 prefill blocks computed (1.0 for dense)
   */
  public record GenerationStats(int prefillTokens, double prefillMillis, int decodeTokens, double decodeMillis,
      long kvBytes, double attentionBlockShare) {
    /** The {@code --stats} line. */
    public String line() {
      return String.format(java.util.Locale.ROOT, "stats prefill_tokens=%d prefill_ms=%.1f decode_tokens=%d "
          + "decode_ms=%.1f kv_bytes=%d attention_block_share=%.4f", prefillTokens, prefillMillis, decodeTokens,
          decodeMillis, kvBytes, attentionBlockShare);
    }
  }

  private final LoadedModel model;
  private final Transformer transformer;
  private final Parallel parallel;
  private final int contextLength;
  private volatile AttentionStrategies attention = AttentionStrategies.dense();
  private volatile KvCachePolicy cachePolicy = KvCachePolicy.dense();
  private volatile MMInferenceAttention sparse;
  private volatile GenerationStats lastStats;

  private TextGenerator(LoadedModel model, int threads, int contextLength) {
    this.model = model;
    this.parallel = new Parallel(threads);
    this.transformer = new Transformer(model.config(), model.weights(), parallel);
    this.contextLength = Math.min(contextLength, model.config().contextLength());
  }

  /** Loads a GGUF file or safetensors directory with the thread count and context length of {@code settings}. */
  public static TextGenerator load(Path model, VlmSettings settings) throws IOException {
    TextGenerator g = new TextGenerator(LoadedModel.load(model), settings.effectiveThreads(),
        settings.contextLength());
    if (settings.attention() == VlmAttention.MMINFERENCE) {
      ModelConfig c = g.config();
      AttentionPatterns p = AttentionPatterns.read(settings.attentionPatterns(), g.fingerprint(), c.layers(),
          c.heads());
      g.setAttention(new AttentionStrategies(new MMInferenceAttention(p, null), new DenseAttention()));
    }
    return g;
  }

  /** The model's {@link ModelFingerprint}, which pattern files must carry. */
  public String fingerprint() {
    return ModelFingerprint.of(model.config(), model.weights());
  }

  /** The transformer, for tools that run forward passes themselves (the attention search). */
  public Transformer transformer() {
    return transformer;
  }

  /**
   * The modality layout of the next prompt for sparse prefill (multimodal prompts; text needs none, null clears it).
   * No effect with dense attention.
   */
  public void setPromptLayout(ModalityLayout layout) {
    MMInferenceAttention s = sparse;
    if (s != null) {
      s.setLayout(layout);
    }
  }

  /** Figures of the last generation, or null before the first. */
  public GenerationStats lastStats() {
    return lastStats;
  }

  public ModelConfig config() {
    return model.config();
  }

  public Tokenizer tokenizer() {
    return model.tokenizer();
  }

  /** Tokens one generation may hold (prompt plus output). */
  public int contextLength() {
    return contextLength;
  }

  /** Swaps the attention strategies (e.g. a sparse prefill); the default is dense. */
  public void setAttention(AttentionStrategies strategies) {
    this.attention = strategies;
    this.sparse = strategies.prefill() instanceof MMInferenceAttention m ? m : null;
  }

  /** Swaps how KV caches are made and compressed after prefill; the default is a dense, uncompressed cache. */
  public void setCachePolicy(KvCachePolicy policy) {
    this.cachePolicy = policy;
  }

  /** Generates a continuation of a raw {@code prompt} (BOS is added if the model wants it), streaming pieces. */
  public String generate(String prompt, GenerationSettings settings, Consumer<String> onToken) {
    return generate(encodePrompt(prompt), settings, onToken, null);
  }

  /** Generates the assistant's reply to {@code messages} with the model's chat template. */
  public String generate(List<ChatMessage> messages, GenerationSettings settings, Consumer<String> onToken) {
    return generate(model.chatTemplate().render(messages, tokenizer()), settings, onToken);
  }

  /** The prompt's token ids: BOS (if the model adds one) then the encoded text. */
  public int[] encodePrompt(String prompt) {
    int[] ids = tokenizer().encode(prompt);
    if (!tokenizer().addBos()) {
      return ids;
    }
    int[] withBos = new int[ids.length + 1];
    withBos[0] = tokenizer().bos();
    System.arraycopy(ids, 0, withBos, 1, ids.length);
    return withBos;
  }

  /** Generates from prompt token ids; {@code onStep} (nullable) sees every token with its logits. */
  public synchronized String generate(int[] promptIds, GenerationSettings settings, Consumer<String> onToken,
      StepListener onStep) {
    if (promptIds.length == 0) {
      throw new IllegalArgumentException("the prompt is empty");
    }
    if (promptIds.length >= contextLength) {
      throw new IllegalArgumentException("the prompt has " + promptIds.length + " tokens but the context holds "
          + contextLength + " (vlm.context-length, model maximum " + model.config().contextLength() + ")");
    }
    ModelConfig c = model.config();
    int maxNew = Math.min(settings.maxTokens(), contextLength - promptIds.length);
    checkMemory(promptIds.length, maxNew);
    KvCache cache = cachePolicy.create(c.layers(), c.kvHeads(), c.headDim(), contextLength);
    MMInferenceAttention s = sparse;
    if (s != null) {
      s.resetStats();
    }
    long t0 = System.nanoTime();
    float[] logits = prefill(promptIds, cache);
    cachePolicy.afterPrefill(cache, promptIds.length);
    long t1 = System.nanoTime();
    int decoded = 0;
    int[] history = Arrays.copyOf(promptIds, promptIds.length + maxNew);
    int length = promptIds.length;
    Sampler sampler = new Sampler(settings);
    StopStringFilter out = new StopStringFilter(settings.stopStrings(), onToken);
    StreamDecoder decoder = new StreamDecoder(tokenizer());
    for (int i = 0; i < maxNew; i++) {
      float[] original = onStep == null ? null : logits.clone();
      int token = sampler.sample(logits, history, length);
      if (onStep != null) {
        onStep.onStep(token, original);
      }
      if (tokenizer().stopIds().contains(token)) {
        break;
      }
      history[length++] = token;
      if (out.accept(decoder.next(token))) {
        break;
      }
      if (i + 1 < maxNew) {
        logits = transformer.forward(new int[] {token}, 1, length - 1, cache, attention, true); // true position
        decoded++;
      }
    }
    lastStats = new GenerationStats(promptIds.length, (t1 - t0) / 1e6, decoded, (System.nanoTime() - t1) / 1e6,
        kvBytes(cache), s == null ? 1.0 : s.blockShare());
    out.accept(decoder.flush());
    return out.finish();
  }

  /**
   * Fails before allocating when the prompt's activations plus the KV cache of the whole generation cannot fit the
   * JVM's heap ({@code -Xmx}).
   */
  private void checkMemory(int promptTokens, int maxNew) {
    ModelConfig c = model.config();
    long kv = 2L * Float.BYTES * c.layers() * c.kvDim() * (promptTokens + (long) maxNew);
    long batch = Math.min(promptTokens, sparse != null ? SPARSE_PREFILL_CHUNK : PREFILL_CHUNK);
    long activations = (long) Float.BYTES * batch * (3L * c.dim() + 2L * c.qDim() + 2L * c.kvDim()
        + 2L * c.hiddenDim());
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (kv + activations > free) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "a context of %d tokens needs about "
          + "%d MiB (KV cache %d MiB, activations %d MiB) but the JVM has %d MiB free; give it more heap "
          + "(LONGSHOT_JAVA_OPTS=-Xmx...) or shorten the prompt", promptTokens + maxNew, (kv + activations) >> 20,
          kv >> 20, activations >> 20, free >> 20));
    }
  }

  private static long kvBytes(KvCache cache) {
    long entries = 0;
    for (int l = 0; l < cache.layers(); l++) {
      for (int h = 0; h < cache.kvHeads(); h++) {
        entries += cache.size(l, h);
      }
    }
    return entries * cache.headDim() * 2L * Float.BYTES;
  }

  private float[] prefill(int[] ids, KvCache cache) {
    float[] logits = null;
    int step = sparse != null ? SPARSE_PREFILL_CHUNK : PREFILL_CHUNK;
    for (int start = 0; start < ids.length; start += step) {
      int n = Math.min(step, ids.length - start);
      int[] chunk = Arrays.copyOfRange(ids, start, start + n);
      logits = transformer.forward(chunk, n, start, cache, attention, start + n == ids.length);
    }
    return logits;
  }

  @Override
  public void close() {
    parallel.close();
  }
}
