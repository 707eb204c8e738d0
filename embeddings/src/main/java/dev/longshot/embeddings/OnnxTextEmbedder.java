package dev.longshot.embeddings;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingDevice;
import dev.longshot.embeddings.onnx.PositionTableEditor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT-family encoder on ONNX Runtime with LongEmbed context extension ({@link ContextStrategy}). Texts that fit
 * the trained window go through the unmodified model; longer ones are windowed ({@code parallel-windows}), cut
 * ({@code truncate}) or run through a position-edited copy of the model that is built on first need ({@code
 * position-interpolation}, {@code grouped-positions}). Texts beyond {@link #maxTokens()} are truncated with a
 * logged warning.
 *
 * <p>Batching: all windows of a call are sorted by length and sent {@code batchSize} at a time, each batch padded
 * only to its own longest row. Thread-safe: concurrent calls share the sessions; {@link #close()} must not race
 * with calls. The caller owns and closes the embedder.
 */
public final class OnnxTextEmbedder implements TextEmbedder {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxTextEmbedder.class);

  /**
   * Default share of a parallel window repeated in the next. Half-overlapping windows put every token into two
   * windows at different offsets; on the passkey development sets (seeds 1-3, 8k tokens) that took accuracy from
   * 67% (disjoint) to 80% for twice the encoder work on long texts (embeddings/README.md).
   */
  public static final double DEFAULT_WINDOW_OVERLAP = 0.5;

  private final ModelSource source;
  private final ContextStrategy strategy;
  private final EmbeddingDevice device;
  private final int batchSize;
  private final double windowOverlap;
  private final int window;
  private final int maxTokens;
  private final int dimension;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final WordPieces tokens;
  private final OnnxEncoder base;
  private final long[] queryPrefix;
  private final long[] passagePrefix;
  private volatile OnnxEncoder extended;

  /**
   * Loads the model and tokenizer. {@code maxTokens} is the longest accepted input; the position-editing
   * strategies round it up to a multiple of the trained window, {@code truncate} uses the trained window.
   */
  public OnnxTextEmbedder(ModelSource source, ContextStrategy strategy, int maxTokens, EmbeddingDevice device, int batchSize) {
    this(source, strategy, maxTokens, device, batchSize, DEFAULT_WINDOW_OVERLAP);
  }

  /**
   * As {@link #OnnxTextEmbedder(ModelSource, ContextStrategy, int, EmbeddingDevice, int)}, with the share of each parallel
   * window repeated in the next one ({@code 0} gives LongEmbed's disjoint windows; ignored by other strategies).
   */
  public OnnxTextEmbedder(ModelSource source, ContextStrategy strategy, int maxTokens, EmbeddingDevice device, int batchSize,
      double windowOverlap) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    if (!(windowOverlap >= 0 && windowOverlap <= 0.9)) {
      throw new IllegalArgumentException("windowOverlap must be within 0..0.9, was " + windowOverlap);
    }
    this.windowOverlap = windowOverlap;
    this.source = source;
    this.strategy = strategy;
    this.device = device;
    this.batchSize = batchSize;
    // A model on disk is read by ONNX Runtime itself and its position table through a mapped view: no 133 MB copy on
    // the Java heap (BGE: ~0.3 CPU s less per start); otherwise from the bytes.
    Optional<Path> file = source.onnxFile();
    byte[] onnx = file.isPresent() ? null : source.readOnnx();
    this.window = file.isPresent() ? trainedWindow(file.get(), source.where()) : trainedWindow(onnx, source.where());
    this.tokens = new WordPieces(source.readTokenizer(), source.tokenizerWhere());
    try {
      this.base = file.isPresent() ? open(file.get(), source.where()) : open(onnx, source.where(), false);
      this.dimension = base.probeDimension(tokens.clsId(), tokens.sepId());
    } catch (RuntimeException e) {
      tokens.close();
      throw e;
    }
    this.queryPrefix = tokens.ids(source.queryPrefix());
    this.passagePrefix = tokens.ids(source.passagePrefix());
    this.maxTokens = switch (strategy) {
      case TRUNCATE -> window;
      case PARALLEL_WINDOWS -> Math.max(window, maxTokens);
      default -> Math.max(window, (maxTokens + window - 1) / window * window);
    };
    LOG.info("embeddings: {} ({} dims, trained window {}), strategy {}{}, max {} tokens", source.name(), dimension,
        window, strategy.configName(), strategy == ContextStrategy.PARALLEL_WINDOWS
            ? " (overlap " + windowOverlap + ")" : "", this.maxTokens);
  }

  private static int trainedWindow(byte[] onnx, String where) {
    return trainedWindow(UnsafeByteOperations.unsafeWrap(onnx), where);
  }

  private static int trainedWindow(Path onnx, String where) {
    try (FileChannel ch = FileChannel.open(onnx, StandardOpenOption.READ)) {
      return trainedWindow(UnsafeByteOperations.unsafeWrap(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size())), where);
    } catch (IOException e) {
      throw new EmbeddingException("cannot read model file " + where + ": " + e.getMessage(), e);
    }
  }

  private static int trainedWindow(ByteString onnx, String where) {
    try {
      return new PositionTableEditor(PositionTableEditor.DEFAULT_TABLE).trainedPositions(onnx);
    } catch (RuntimeException e) {
      throw new EmbeddingException("corrupt or unsupported ONNX model " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return source.name();
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int maxTokens() {
    return maxTokens;
  }

  /** The strategy used for texts longer than the trained window. */
  public ContextStrategy strategy() {
    return strategy;
  }

  /** The model's trained window in tokens, special tokens included (512 for BGE-small). */
  public int trainedWindow() {
    return window;
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    return embed(texts, passagePrefix);
  }

  @Override
  public float[] embedQuery(String text) {
    return embed(List.of(text), queryPrefix).get(0);
  }

  /**
   * Unit vectors of the windows of one passage: windows of at most {@code size} content tokens (passage prefix and
   * special tokens added) starting every {@code stride} tokens, each encoded by the unmodified model. The last
   * window ends at the text's end. A text within one window gives one vector.
   */
  public List<float[]> passageWindows(String text, int size, int stride) {
    int room = window - 2 - passagePrefix.length;
    if (size < 1 || size > room || stride < 1 || stride > size) {
      throw new IllegalArgumentException("window size must be 1.." + room + " and stride 1..size, were " + size
          + " and " + stride);
    }
    long[] ids = tokens.ids(text);
    List<Piece> pieces = new ArrayList<>();
    for (int start = 0; ; start += stride) {
      int end = Math.min(ids.length, start + size);
      pieces.add(new Piece(pieces.size(), row(passagePrefix, ids, start, end), 1f));
      if (end == ids.length) {
        break;
      }
    }
    float[][] sums = new float[pieces.size()][dimension];
    encodeAll(pieces, sums);
    return Arrays.asList(sums);
  }

  /** Number of content tokens of {@code text} (no prefix, no special tokens). */
  public int countTokens(String text) {
    return tokens.ids(text).length;
  }

  private List<float[]> embed(List<String> texts, long[] prefix) {
    List<Piece> pieces = new ArrayList<>();
    int truncated = 0;
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null) {
        throw new IllegalArgumentException("text " + i + " of " + texts.size() + " is null");
      }
      long[] ids = tokens.ids(text);
      int room = maxTokens - 2 - prefix.length;
      if (ids.length > room) {
        truncated++;
        ids = Arrays.copyOf(ids, room);
      }
      split(i, prefix, ids, pieces);
    }
    if (truncated > 0) {
      LOG.warn("embeddings: {} of {} texts exceed {} tokens ({}); truncated", truncated, texts.size(), maxTokens,
          strategy.configName());
    }
    float[][] sums = new float[texts.size()][dimension];
    encodeAll(pieces, sums);
    List<float[]> out = new ArrayList<>(texts.size());
    for (float[] v : sums) {
      out.add(Vectors.normalize(v));
    }
    return out;
  }

  /** One encoder row: which text it belongs to, its ids with special tokens, and its pooling weight. */
  private record Piece(int text, long[] row, float weight) {}

  private void split(int text, long[] prefix, long[] ids, List<Piece> out) {
    int room = window - 2 - prefix.length;
    if (ids.length <= room) {
      out.add(new Piece(text, row(prefix, ids, 0, ids.length), 1f));
    } else if (strategy == ContextStrategy.TRUNCATE) {
      out.add(new Piece(text, row(prefix, ids, 0, room), 1f));
    } else if (strategy == ContextStrategy.PARALLEL_WINDOWS) {
      // PCW: each window is encoded on its own with the trained positions; windows start every `stride` tokens
      // (overlapping when windowOverlap > 0), the last one ends at the text's end; weights are window lengths.
      int stride = Math.max(1, (int) Math.round(room * (1 - windowOverlap)));
      for (int start = 0; ; start += stride) {
        int end = Math.min(ids.length, start + room);
        out.add(new Piece(text, row(prefix, ids, start, end), (float) (end - start) / room));
        if (end == ids.length) {
          break;
        }
      }
    } else {
      out.add(new Piece(text, row(prefix, ids, 0, ids.length), 1f));
    }
  }

  private long[] row(long[] prefix, long[] ids, int from, int to) {
    long[] r = new long[to - from + prefix.length + 2];
    r[0] = tokens.clsId();
    System.arraycopy(prefix, 0, r, 1, prefix.length);
    System.arraycopy(ids, from, r, 1 + prefix.length, to - from);
    r[r.length - 1] = tokens.sepId();
    return r;
  }

  /** Encodes pieces in length-sorted batches and adds each weighted vector into its text's sum. */
  private void encodeAll(List<Piece> pieces, float[][] sums) {
    List<Piece> sorted = new ArrayList<>(pieces);
    sorted.sort(Comparator.comparingInt(p -> p.row().length));
    int i = 0;
    while (i < sorted.size()) {
      int len = sorted.get(i).row().length;
      boolean longRow = len > window;
      // Long rows use full attention over len tokens: shrink the batch so memory stays ~ batchSize * window^2.
      int rows = longRow ? Math.max(1, (int) ((long) batchSize * window * window / ((long) len * len))) : batchSize;
      int end = Math.min(sorted.size(), i + rows);
      if (!longRow) {
        while (end > i + 1 && sorted.get(end - 1).row().length > window) {
          end--;
        }
      }
      List<Piece> batch = sorted.subList(i, end);
      float[][] vectors = (longRow ? extended() : base).encode(batch.stream().map(Piece::row).toList());
      for (int b = 0; b < batch.size(); b++) {
        float[] sum = sums[batch.get(b).text()];
        float w = batch.get(b).weight();
        for (int d = 0; d < dimension; d++) {
          sum[d] += w * vectors[b][d];
        }
      }
      i = end;
    }
  }

  /** The position-edited model, built on the first input longer than the trained window. */
  private OnnxEncoder extended() {
    OnnxEncoder e = extended;
    if (e == null) {
      synchronized (this) {
        e = extended;
        if (e == null) {
          PositionTableEditor.Mode mode = strategy == ContextStrategy.POSITION_INTERPOLATION
              ? PositionTableEditor.Mode.INTERPOLATE : PositionTableEditor.Mode.GROUP;
          long t0 = System.nanoTime();
          ByteString edited = new PositionTableEditor(PositionTableEditor.DEFAULT_TABLE)
              .extend(UnsafeByteOperations.unsafeWrap(source.readOnnx()), mode, maxTokens);
          String where = source.where() + " (" + strategy.configName() + " to " + maxTokens + ")";
          e = open(edited.toByteArray(), where, true);
          LOG.info("embeddings: built the {} model for {} tokens in {} ms", strategy.configName(), maxTokens,
              (System.nanoTime() - t0) / 1_000_000);
          extended = e;
        }
      }
    }
    return e;
  }

  private OnnxEncoder open(Path onnx, String where) {
    try (OrtSession.SessionOptions options = Devices.sessionOptions(device, source.name(), false)) {
      return new OnnxEncoder(env, env.createSession(onnx.toString(), options), where);
    } catch (OrtException e) {
      throw new EmbeddingException("cannot load ONNX model " + where + ": " + e.getMessage(), e);
    }
  }

  private OnnxEncoder open(byte[] onnx, String where, boolean longInputs) {
    try (OrtSession.SessionOptions options = Devices.sessionOptions(device, source.name(), longInputs)) {
      return new OnnxEncoder(env, env.createSession(onnx, options), where);
    } catch (OrtException e) {
      throw new EmbeddingException("cannot load ONNX model " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try (tokens; base) {
      OnnxEncoder e = extended;
      if (e != null) {
        e.close();
      }
    }
  }
}
