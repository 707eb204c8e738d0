package dev.longshot.vlm.kv;

import dev.longshot.config.KvMerge;
import dev.longshot.config.KvPolicy;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.attention.AttentionObserver;
import dev.longshot.vlm.attention.AttentionShape;
import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.attention.KvCachePolicy;
import dev.longshot.vlm.multimodal.PromptLayout;
import dev.longshot.vlm.tensor.Parallel;
import java.lang.System.Logger.Level;

/**
 * Compresses the KV cache of a prompt with images once, right after prefill (LOOK-M's "look once"), then compacts
 * it so the memory is freed; decode appends after it at true positions (kept entries keep their absolute positions
 * and post-RoPE keys, so nothing is re-rotated). Per (layer, kv head), with the budget of {@link KvBudget#of}:
 * <ul>
 *   <li>{@link KvPolicy#LOOKM}: scores from the text queries' attention; {@link KvSelector#lookm} then
 *       {@link KvMerger} with the configured {@link KvMerge};</li>
 *   <li>{@link KvPolicy#H2O}: scores from every prefill query; {@link KvSelector#h2o}, evicted entries dropped;</li>
 *   <li>{@link KvPolicy#RECENT}: {@link KvSelector#recent}, no scores.</li>
 * </ul>
 * A prompt without images, or one that already fits the budget, keeps its full cache (logged). The prefill step's
 * own output used the full cache, so the first generated token equals the full-cache one by construction. One
 * generation at a time per instance (the state of the current one is held between the two hooks).
 */
public final class CompressingKvCachePolicy implements KvCachePolicy {
  private static final System.Logger LOG = System.getLogger(CompressingKvCachePolicy.class.getName());

  private final KvPolicy kind;
  private final double budget;
  private final double recentShare;
  private final KvMerge merge;
  private final Parallel parallel;
  private volatile Generation current;
  private volatile Summary last;

  /** What the last {@link #afterPrefill} did: entries held over all heads before and after. */
  public record Summary(boolean compressed, long entriesBefore, long entriesAfter, String reason) {}

  private record Generation(KvCache cache, AttentionShape shape, boolean[] image, AttentionScores scores) {}

  /** A compressing policy ({@code kind} not {@link KvPolicy#FULL}); {@code parallel} runs the heads (nullable). */
  public CompressingKvCachePolicy(KvPolicy kind, double budget, double recentShare, KvMerge merge,
      Parallel parallel) {
    if (kind == KvPolicy.FULL) {
      throw new IllegalArgumentException("the full policy does not compress; use KvCachePolicy.dense()");
    }
    KvBudget.of(1, budget, recentShare); // validates both ratios
    this.kind = kind;
    this.budget = budget;
    this.recentShare = recentShare;
    this.merge = merge;
    this.parallel = parallel;
  }

  /** The policy {@code settings} name: {@link KvCachePolicy#dense()} for {@code full}, else a compressing one. */
  public static KvCachePolicy from(VlmSettings settings, Parallel parallel) {
    KvPolicy kind = settings.kvPolicy();
    return kind == KvPolicy.FULL ? KvCachePolicy.dense()
        : new CompressingKvCachePolicy(kind, settings.kvBudget(), settings.kvRecentShare(), settings.kvMerge(),
            parallel);
  }

  public KvPolicy kind() {
    return kind;
  }

  /** What the last generation's compression did, or null before the first. */
  public Summary lastSummary() {
    return last;
  }

  @Override
  public KvCache create(int layers, int kvHeads, int headDim, int capacity) {
    current = null;
    return new DenseKvCache(layers, kvHeads, headDim, capacity);
  }

  @Override
  public AttentionObserver beforePrefill(KvCache cache, AttentionShape shape, PromptLayout layout) {
    boolean[] imagePositions = visionMask(layout);
    AttentionScores scores = switch (kind) {
      case LOOKM -> new AttentionScores(cache.layers(), shape, textQueries(imagePositions));
      case H2O -> new AttentionScores(cache.layers(), shape, null);
      case RECENT, FULL -> null;
    };
    boolean hasImages = imagePositions != null && anyTrue(imagePositions);
    current = new Generation(cache, shape, imagePositions, hasImages ? scores : null);
    return hasImages ? scores : null;
  }

  @Override
  public void afterPrefill(KvCache cache, int promptLength) {
    Generation g = current;
    current = null;
    long before = entries(cache);
    if (g == null || g.cache() != cache || g.image() == null || !anyTrue(g.image())) {
      finish(new Summary(false, before, before, "the prompt has no images"));
      return;
    }
    if (g.image().length != promptLength) {
      throw new IllegalArgumentException("the prompt layout covers " + g.image().length + " tokens but the prompt has "
          + promptLength);
    }
    KvBudget b = KvBudget.of(promptLength, budget, recentShare);
    if (b.keepsAll()) {
      finish(new Summary(false, before, before, "the prompt's " + promptLength + " entries fit the budget of "
          + b.total() + " (recent window " + b.recent() + ")"));
      return;
    }
    int layers = cache.layers();
    int kvHeads = cache.kvHeads();
    Parallel.RangeBody body = (from, to) -> {
      for (int i = from; i < to; i++) {
        compressHead(cache, g, b, i / kvHeads, i % kvHeads);
      }
    };
    if (parallel == null) {
      body.run(0, layers * kvHeads);
    } else {
      parallel.forRange(layers * kvHeads, body);
    }
    cache.compact();
    finish(new Summary(true, before, entries(cache), null));
  }

  private void compressHead(KvCache cache, Generation g, KvBudget b, int layer, int kvHead) {
    int n = cache.size(layer, kvHead);
    if (n != b.promptLength()) {
      throw new IllegalStateException("layer " + layer + " kv head " + kvHead + " holds " + n
          + " entries, expected the prompt's " + b.promptLength() + " (compression runs once, after prefill)");
    }
    int[] kept = switch (kind) {
      case LOOKM -> KvSelector.lookm(g.scores().of(layer, kvHead, n), g.image(), b);
      case H2O -> KvSelector.h2o(g.scores().of(layer, kvHead, n), b);
      case RECENT -> KvSelector.recent(b);
      case FULL -> throw new IllegalStateException("full does not compress");
    };
    if (kind == KvPolicy.LOOKM) {
      int d = cache.headDim();
      float[][] merged = KvMerger.merge(merge, cache.keys(layer, kvHead), cache.values(layer, kvHead), d, kept,
          KvSelector.complement(kept, n));
      for (int c = 0; c < kept.length; c++) {
        cache.set(layer, kvHead, kept[c], merged[0], c * d, merged[1], c * d);
      }
    }
    cache.retain(layer, kvHead, kept);
  }

  private void finish(Summary s) {
    last = s;
    if (s.compressed()) {
      LOG.log(Level.INFO, () -> String.format("KV cache %s: kept %d of %d entries (%.1f %%)", kind.configName(),
          s.entriesAfter(), s.entriesBefore(), 100.0 * s.entriesAfter() / Math.max(1, s.entriesBefore())));
    } else {
      LOG.log(Level.INFO, () -> "KV cache " + kind.configName() + ": kept whole, " + s.reason());
    }
  }

  private static long entries(KvCache cache) {
    long n = 0;
    for (int l = 0; l < cache.layers(); l++) {
      for (int h = 0; h < cache.kvHeads(); h++) {
        n += cache.size(l, h);
      }
    }
    return n;
  }

  /** {@code mask[p]} true for the vision positions of {@code layout}; null for no layout. */
  static boolean[] visionMask(PromptLayout layout) {
    if (layout == null) {
      return null;
    }
    boolean[] mask = new boolean[layout.length()];
    for (PromptLayout.Range r : layout.visionRanges()) {
      java.util.Arrays.fill(mask, r.start(), r.end(), true);
    }
    return mask;
  }

  /** The text queries: every position that is not an image token. */
  private static boolean[] textQueries(boolean[] image) {
    if (image == null) {
      return null;
    }
    boolean[] text = new boolean[image.length];
    for (int i = 0; i < image.length; i++) {
      text[i] = !image[i];
    }
    return text;
  }

  private static boolean anyTrue(boolean[] x) {
    for (boolean b : x) {
      if (b) {
        return true;
      }
    }
    return false;
  }
}
