package dev.longshot.vlm.attention;

import java.util.Arrays;

/**
 * The reference {@link KvCache}: growable float arrays per (layer, kv head), positions kept per entry. Storage grows
 * by a quarter (at least 64 entries) when full, so a compacted cache does not double on its first decode step.
 */
public final class DenseKvCache implements KvCache {
  private static final int INITIAL_ENTRIES = 64;

  private final int layers;
  private final int kvHeads;
  private final int headDim;
  private final int capacity;
  private final float[][] keys;
  private final float[][] values;
  private final int[][] positions;
  private final int[] sizes;
  private int nextPosition;

  public DenseKvCache(int layers, int kvHeads, int headDim, int capacity) {
    if (layers < 1 || kvHeads < 1 || headDim < 1 || capacity < 1) {
      throw new IllegalArgumentException("bad KV cache shape: layers=" + layers + " kvHeads=" + kvHeads
          + " headDim=" + headDim + " capacity=" + capacity);
    }
    this.layers = layers;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.capacity = capacity;
    int slots = layers * kvHeads;
    int initial = Math.min(capacity, INITIAL_ENTRIES);
    keys = new float[slots][initial * headDim];
    values = new float[slots][initial * headDim];
    positions = new int[slots][initial];
    sizes = new int[slots];
  }

  private int slot(int layer, int kvHead) {
    if (layer < 0 || layer >= layers || kvHead < 0 || kvHead >= kvHeads) {
      throw new IndexOutOfBoundsException("layer " + layer + " / kv head " + kvHead + " outside " + layers + "x"
          + kvHeads);
    }
    return layer * kvHeads + kvHead;
  }

  @Override
  public int layers() {
    return layers;
  }

  @Override
  public int kvHeads() {
    return kvHeads;
  }

  @Override
  public int headDim() {
    return headDim;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public int size(int layer, int kvHead) {
    return sizes[slot(layer, kvHead)];
  }

  @Override
  public int position(int layer, int kvHead, int entry) {
    int s = slot(layer, kvHead);
    if (entry < 0 || entry >= sizes[s]) {
      throw new IndexOutOfBoundsException("entry " + entry + " of " + sizes[s]);
    }
    return positions[s][entry];
  }

  @Override
  public void append(int layer, int position, float[] k, float[] v) {
    for (int h = 0; h < kvHeads; h++) {
      int s = slot(layer, h);
      int n = sizes[s];
      if (n == capacity) {
        throw new IllegalStateException("KV cache is full: layer " + layer + " holds " + capacity
            + " entries (the context length)");
      }
      if (n > 0 && positions[s][n - 1] >= position) {
        throw new IllegalArgumentException("position " + position + " is not after the last cached position "
            + positions[s][n - 1]);
      }
      if (n == positions[s].length) {
        int grown = Math.min(capacity, n + Math.max(INITIAL_ENTRIES, n / 4));
        positions[s] = Arrays.copyOf(positions[s], grown);
        keys[s] = Arrays.copyOf(keys[s], grown * headDim);
        values[s] = Arrays.copyOf(values[s], grown * headDim);
      }
      System.arraycopy(k, h * headDim, keys[s], n * headDim, headDim);
      System.arraycopy(v, h * headDim, values[s], n * headDim, headDim);
      positions[s][n] = position;
      sizes[s] = n + 1;
    }
    nextPosition = Math.max(nextPosition, position + 1);
  }

  @Override
  public float[] keys(int layer, int kvHead) {
    return keys[slot(layer, kvHead)];
  }

  @Override
  public float[] values(int layer, int kvHead) {
    return values[slot(layer, kvHead)];
  }

  @Override
  public void set(int layer, int kvHead, int entry, float[] key, int keyOffset, float[] value, int valueOffset) {
    int s = slot(layer, kvHead);
    if (entry < 0 || entry >= sizes[s]) {
      throw new IndexOutOfBoundsException("entry " + entry + " of " + sizes[s]);
    }
    System.arraycopy(key, keyOffset, keys[s], entry * headDim, headDim);
    System.arraycopy(value, valueOffset, values[s], entry * headDim, headDim);
  }

  @Override
  public void retain(int layer, int kvHead, int[] entries) {
    int s = slot(layer, kvHead);
    int prev = -1;
    for (int i = 0; i < entries.length; i++) {
      int e = entries[i];
      if (e <= prev || e >= sizes[s]) {
        throw new IllegalArgumentException("retain needs strictly ascending entries below " + sizes[s] + ", got "
            + e + " after " + prev);
      }
      System.arraycopy(keys[s], e * headDim, keys[s], i * headDim, headDim);
      System.arraycopy(values[s], e * headDim, values[s], i * headDim, headDim);
      positions[s][i] = positions[s][e];
      prev = e;
    }
    sizes[s] = entries.length;
  }

  @Override
  public long bytes() {
    long total = 0;
    for (int s = 0; s < sizes.length; s++) {
      total += 4L * (keys[s].length + values[s].length + positions[s].length);
    }
    return total;
  }

  @Override
  public void compact() {
    for (int s = 0; s < sizes.length; s++) {
      int n = Math.max(1, sizes[s]);
      if (positions[s].length > n) {
        positions[s] = Arrays.copyOf(positions[s], n);
        keys[s] = Arrays.copyOf(keys[s], n * headDim);
        values[s] = Arrays.copyOf(values[s], n * headDim);
      }
    }
  }

  @Override
  public int nextPosition() {
    return nextPosition;
  }

  @Override
  public void clear() {
    Arrays.fill(sizes, 0);
    nextPosition = 0;
  }
}
