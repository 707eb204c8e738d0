package dev.longshot.vlm;

import dev.longshot.config.VlmAttention;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.attention.AttentionObserver;
import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.attention.KvCachePolicy;
import dev.longshot.vlm.attention.sparse.AttentionPatterns;
import dev.longshot.vlm.attention.sparse.MMInferenceAttention;
import dev.longshot.vlm.attention.sparse.ModalityLayout;
import dev.longshot.vlm.chat.ChatMessage;
import dev.longshot.vlm.kv.CompressingKvCachePolicy;
import dev.longshot.vlm.model.LoadedModel;
import dev.longshot.vlm.model.ModelConfig;
import dev.longshot.vlm.model.ModelFingerprint;
import dev.longshot.vlm.model.Transformer;
import dev.longshot.vlm.multimodal.PromptLayout;
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
 * Close it to stop the kernel threads (and, for a generator that {@link #load}ed its model, to unmap the weights).
 */
public final class TextGenerator implements AutoCloseable {
  /** Called once per generated token with its id and the logits it was sampled from (before penalties). */
  @FunctionalInterface
  public interface StepListener {
    void onStep(int token, float[] logits);
  }

  private static final int PREFILL_CHUNK = 256;
  /** Sparse prefill takes bigger batches: its patterns estimate from a batch's last queries. */
  public static final int SPARSE_PREFILL_CHUNK = 4096;

  private final LoadedModel model;
  /** Whether {@link #close} closes the model too (it was loaded by {@link #load}). */
  private boolean ownsModel;
  private final Transformer transformer;
  private final Parallel parallel;
  private final int contextLength;
  private volatile AttentionStrategies attention = AttentionStrategies.dense();
  private volatile KvCachePolicy cachePolicy;

  private volatile GenerationStats lastStats;
  private volatile MMInferenceAttention sparse;
  private volatile double lastBlockShare = 1.0;

  private TextGenerator(LoadedModel model, VlmSettings settings) {
    this.model = model;
    this.parallel = new Parallel(settings.effectiveThreads());
    try {
      this.transformer = new Transformer(model.config(), model.weights(), parallel);
      this.contextLength = Math.min(settings.contextLength(), model.config().contextLength());
      this.cachePolicy = CompressingKvCachePolicy.from(settings, parallel);
    } catch (RuntimeException | Error e) { // e.g. no memory for the decode layouts: stop the threads just started
      parallel.close();
      throw e;
    }
  }

  /**
   * Loads a GGUF file or safetensors directory with the thread count, context length and KV-cache policy of
   * {@code settings}.
   */
  public static TextGenerator load(Path model, VlmSettings settings) throws IOException {
    LoadedModel m = LoadedModel.load(model);
    try {
      TextGenerator g = of(m, settings);
      g.ownsModel = true;
      return g;
    } catch (IOException | RuntimeException | Error e) { // the mapping and the layouts built in it go with it
      m.close();
      throw e;
    }
  }

  /**
   * A generator over an already loaded model (e.g. the decoder of a vision-language model), which the caller keeps
   * and closes; with
   * {@code vlm.attention: mminference} it reads the pattern file, which must carry this model's fingerprint.
   */
  public static TextGenerator of(LoadedModel model, VlmSettings settings) throws IOException {
    TextGenerator g = new TextGenerator(model, settings);
    try {
      if (settings.attention() == VlmAttention.MMINFERENCE) {
        ModelConfig c = model.config();
        AttentionPatterns p = AttentionPatterns.read(settings.attentionPatterns(), g.fingerprint(), c.layers(),
            c.heads());
        g.setAttention(new AttentionStrategies(new MMInferenceAttention(p), new DenseAttention()));
      }
    } catch (IOException | RuntimeException | Error e) {
      g.close(); // its threads; the model stays the caller's
      throw e;
    }
    return g;
  }

  /** The model's {@link ModelFingerprint}, which attention pattern files must carry. */
  public String fingerprint() {
    return ModelFingerprint.of(model.config(), model.weights());
  }

  /** The transformer, for tools that run forward passes themselves (the attention search). */
  public Transformer transformer() {
    return transformer;
  }

  /** Share of the causal 64x64 prefill blocks the last generation computed (1.0 for dense prefill). */
  public double attentionBlockShare() {
    return lastBlockShare;
  }

  public ModelConfig config() {
    return model.config();
  }

  /** The kernel threads, for other parts of the same model (the vision tower) to share. */
  public Parallel parallel() {
    return parallel;
  }

  /** The loaded decoder (chat template, source path). */
  public LoadedModel model() {
    return model;
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
  public String generate(int[] promptIds, GenerationSettings settings, Consumer<String> onToken,
      StepListener onStep) {
    return generate(promptIds, null, settings, onToken, onStep);
  }

  /**
   * Generates from prompt token ids whose input embeddings are {@code promptEmbeddings[t]} where that is not null
   * (the vision embeddings of a multimodal prompt) and the token's own embedding elsewhere; a null array means text
   * only. {@code onStep} (nullable) sees every token with its logits.
   */
  public String generate(int[] promptIds, float[][] promptEmbeddings, GenerationSettings settings,
      Consumer<String> onToken, StepListener onStep) {
    return generate(promptIds, promptEmbeddings, null, settings, onToken, onStep);
  }

  /**
   * {@link #generate(int[], float[][], GenerationSettings, Consumer, StepListener)} for a prompt laid out as
   * {@code layout} says (which positions are vision tokens; null: text only). The KV-cache policy compresses only
   * prompts whose layout has vision tokens.
   */
  public synchronized String generate(int[] promptIds, float[][] promptEmbeddings, PromptLayout layout,
      GenerationSettings settings, Consumer<String> onToken, StepListener onStep) {
    if (promptEmbeddings != null && promptEmbeddings.length != promptIds.length) {
      throw new IllegalArgumentException("the prompt has " + promptIds.length + " ids but " + promptEmbeddings.length
          + " embedding slots");
    }
    if (promptIds.length == 0) {
      throw new IllegalArgumentException("the prompt is empty");
    }
    if (promptIds.length >= contextLength) {
      throw new IllegalArgumentException("the prompt has " + promptIds.length + " tokens but the context holds "
          + contextLength + " (vlm.context-length, model maximum " + model.config().contextLength() + ")");
    }
    ModelConfig c = model.config();
    if (layout != null && layout.length() != promptIds.length) {
      throw new IllegalArgumentException("the prompt layout covers " + layout.length() + " tokens but the prompt has "
          + promptIds.length);
    }
    checkMemory(promptIds.length, Math.min(settings.maxTokens(), contextLength - promptIds.length));
    MMInferenceAttention sp = sparse;
    if (sp != null) {
      sp.setLayout(layout == null ? null : ModalityLayout.of(layout));
      sp.resetStats();
    }
    KvCachePolicy policy = cachePolicy;
    KvCache cache = policy.create(c.layers(), c.kvHeads(), c.headDim(), contextLength);
    AttentionObserver observer = policy.beforePrefill(cache, transformer.shape(), layout);
    long t0 = System.nanoTime();
    float[] logits = prefill(promptIds, promptEmbeddings, cache, observer);
    cache.compact(); // the prompt is in: release growth slack, so the two byte counts compare entries held
    long kvBytesBefore = cache.bytes();
    policy.afterPrefill(cache, promptIds.length);
    long prefillNanos = System.nanoTime() - t0;
    long kvBytes = cache.bytes();
    int decodeTokens = 0;
    long decodeNanos = 0;
    int maxNew = Math.min(settings.maxTokens(), contextLength - promptIds.length);
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
        long d0 = System.nanoTime();
        logits = transformer.forward(new int[] {token}, 1, length - 1, cache, attention, true); // true position
        decodeNanos += System.nanoTime() - d0;
        decodeTokens++;
      }
    }
    out.accept(decoder.flush());
    lastBlockShare = sp == null ? 1.0 : sp.blockShare();
    lastStats = new GenerationStats(promptIds.length, prefillNanos, decodeTokens, decodeNanos, kvBytesBefore,
        kvBytes);
    return out.finish();
  }

  /** Timing and KV-cache figures of the last finished generation, or null before the first. */
  public GenerationStats lastStats() {
    return lastStats;
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

  private float[] prefill(int[] ids, float[][] embeddings, KvCache cache, AttentionObserver observer) {
    float[] logits = null;
    int step = sparse != null ? SPARSE_PREFILL_CHUNK : PREFILL_CHUNK;
    for (int start = 0; start < ids.length; start += step) {
      int n = Math.min(step, ids.length - start);
      if (embeddings == null) {
        int[] chunk = Arrays.copyOfRange(ids, start, start + n);
        logits = transformer.forward(chunk, n, start, cache, attention, observer, start + n == ids.length);
      } else {
        float[][] x = new float[n][];
        for (int t = 0; t < n; t++) {
          float[] e = embeddings[start + t];
          x[t] = e != null ? e.clone() : transformer.embed(ids[start + t]);
        }
        logits = transformer.forward(x, n, start, cache, attention, observer, start + n == ids.length);
      }
    }
    return logits;
  }

  @Override
  public void close() {
    parallel.close();
    if (ownsModel) {
      model.close();
    }
  }
}
