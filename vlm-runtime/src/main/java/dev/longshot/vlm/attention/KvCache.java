package dev.longshot.vlm.attention;

/**
 * The key/value cache of one generation session, per layer and per key/value head. Every entry keeps the absolute
 * position of the token it came from, so entries can be dropped or merged (KV compression, e.g. LOOK-M) without
 * renumbering the tokens that follow: decode queries always use their true position. Keys are stored after RoPE.
 * Entries of one head are kept in ascending position order. Not thread-safe for writes; attention strategies may
 * read different heads from several threads at once.
 */
public interface KvCache {
  int layers();

  int kvHeads();

  int headDim();

  /** The most entries one head may hold (the context length). */
  int capacity();

  /** Entries currently held by {@code (layer, kvHead)}. */
  int size(int layer, int kvHead);

  /** Absolute token position of entry {@code entry} of {@code (layer, kvHead)}. */
  int position(int layer, int kvHead, int entry);

  /** Number of leading entries of {@code (layer, kvHead)} whose position is at most {@code position}. */
  default int countUpTo(int layer, int kvHead, int position) {
    int lo = 0;
    int hi = size(layer, kvHead);
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (position(layer, kvHead, mid) <= position) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Appends one token at absolute {@code position} to every head of {@code layer}; {@code k} and {@code v} hold
   * {@code kvHeads * headDim} values, head after head. Fails when a head is full.
   */
  void append(int layer, int position, float[] k, float[] v);

  /** Backing key array of {@code (layer, kvHead)}: entry {@code e} at {@code e * headDim}; read-only for callers. */
  float[] keys(int layer, int kvHead);

  /** Backing value array of {@code (layer, kvHead)}, laid out like {@link #keys}. */
  float[] values(int layer, int kvHead);

  /** Overwrites entry {@code entry} of {@code (layer, kvHead)} (e.g. with a merged key/value), keeping its position. */
  void set(int layer, int kvHead, int entry, float[] key, int keyOffset, float[] value, int valueOffset);

  /** Keeps only {@code entries} (strictly ascending indices) of {@code (layer, kvHead)} and drops the rest. */
  void retain(int layer, int kvHead, int[] entries);

  /** Bytes of memory the cache holds for keys, values and positions (allocated, not just used). */
  long bytes();

  /**
   * Releases memory held beyond the entries present (after {@link #retain} dropped some): compression must free
   * memory, not mask it. Later appends grow the storage again.
   */
  void compact();

  /** One past the highest position ever appended: where the next token goes. */
  int nextPosition();

  /** Drops every entry. */
  void clear();
}
