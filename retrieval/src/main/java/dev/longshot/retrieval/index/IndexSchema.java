package dev.longshot.retrieval.index;

import dev.longshot.timeline.Segment;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Index layout, version {@value #VERSION}. Every document has {@code type} and {@code video}:
 *
 * <ul>
 *   <li>{@code type=segment}: one ingest {@link Segment}. Fields: {@code modality} (keyword: asr|ocr|det|subtitle),
 *       {@code start_ms}/{@code end_ms} (long point for range filters, doc value, stored), {@code text} (English
 *       analyzer, BM25, stored), {@code keyframe} (stored), {@code vector} (cosine HNSW, passage embedding).
 *   <li>{@code type=window}: {@code windowSeconds} of speech and on-screen text, for the coarse pass. Same time
 *       and text fields; its embedding is in {@code window_vector} (a separate HNSW graph).
 *   <li>{@code type=window_part} (when {@code retrieval.window-part-words} > 0; issue 20, late interaction): one
 *       part of a window's text ({@link WindowParts}), with the window's {@code video}, {@code start_ms} and {@code
 *       end_ms} and the part's embedding in {@code window_part_vector} (its own HNSW graph); no text. A window
 *       scores by its best part. Indexes written before parts existed have none and rank windows by {@code
 *       window_vector}, so the layout version stayed 1.
 *   <li>{@code type=video}: marker with {@code fingerprint} (the ingest settings fingerprint), {@code
 *       file_name} (keyword, the file name at ingest) and {@code
 *       segment_count}/{@code window_count} (stored ints), so a reader can check a video is whole.
 * </ul>
 *
 * Commit user data: {@code longshot.index.version}, {@code embedder} (model name) and {@code dimension}.
 */
public final class IndexSchema {
  public static final int VERSION = 1;
  public static final String TYPE = "type";
  public static final String VIDEO = "video";
  public static final String MODALITY = "modality";
  public static final String START = "start_ms";
  public static final String END = "end_ms";
  public static final String TEXT = "text";
  public static final String KEYFRAME = "keyframe";
  public static final String VECTOR = "vector";
  public static final String WINDOW_VECTOR = "window_vector";
  public static final String WINDOW_PART_VECTOR = "window_part_vector";
  public static final String FINGERPRINT = "fingerprint";
  public static final String FILE_NAME = "file_name";
  public static final String SEGMENT_COUNT = "segment_count";
  public static final String WINDOW_COUNT = "window_count";
  public static final String TYPE_SEGMENT = "segment";
  public static final String TYPE_WINDOW = "window";
  public static final String TYPE_WINDOW_PART = "window_part";
  public static final String TYPE_VIDEO = "video";
  public static final String USER_VERSION = "longshot.index.version";
  public static final String USER_EMBEDDER = "embedder";
  public static final String USER_DIMENSION = "dimension";
  static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.COSINE;

  private IndexSchema() {}

  static Document segment(String videoId, Segment s, float[] vector) {
    Document d = base(TYPE_SEGMENT, videoId, s.startMillis(), s.endMillis(), s.text());
    d.add(new StringField(MODALITY, s.modality().id(), Field.Store.YES));
    if (s.keyframe() != null) {
      d.add(new StoredField(KEYFRAME, s.keyframe()));
    }
    d.add(new KnnFloatVectorField(VECTOR, vector, SIMILARITY));
    return d;
  }

  static Document window(String videoId, Window w, float[] vector) {
    Document d = base(TYPE_WINDOW, videoId, w.startMillis(), w.endMillis(), w.text());
    if (w.keyframe() != null) {
      d.add(new StoredField(KEYFRAME, w.keyframe()));
    }
    d.add(new KnnFloatVectorField(WINDOW_VECTOR, vector, SIMILARITY));
    return d;
  }

  static Document windowPart(String videoId, Window w, float[] vector) {
    Document d = new Document();
    d.add(new StringField(TYPE, TYPE_WINDOW_PART, Field.Store.YES));
    d.add(new StringField(VIDEO, videoId, Field.Store.YES));
    addTimes(d, w.startMillis(), w.endMillis());
    d.add(new KnnFloatVectorField(WINDOW_PART_VECTOR, vector, SIMILARITY));
    return d;
  }

  static Document video(String videoId, String fileName, String fingerprint, int segments, int windows) {
    Document d = new Document();
    d.add(new StringField(TYPE, TYPE_VIDEO, Field.Store.YES));
    d.add(new StringField(VIDEO, videoId, Field.Store.YES));
    if (fileName != null) {
      d.add(new StringField(FILE_NAME, fileName, Field.Store.YES));
    }
    d.add(new StoredField(FINGERPRINT, fingerprint));
    d.add(new StoredField(SEGMENT_COUNT, segments));
    d.add(new StoredField(WINDOW_COUNT, windows));
    return d;
  }

  static Map<String, String> userData(String embedder, int dimension) {
    return Map.of(USER_VERSION, Integer.toString(VERSION), USER_EMBEDDER, embedder, USER_DIMENSION, Integer.toString(dimension));
  }

  private static Document base(String type, String videoId, long start, long end, String text) {
    Document d = new Document();
    d.add(new StringField(TYPE, type, Field.Store.YES));
    d.add(new StringField(VIDEO, videoId, Field.Store.YES));
    addTimes(d, start, end);
    d.add(new TextField(TEXT, text, Field.Store.YES));
    return d;
  }

  private static void addTimes(Document d, long start, long end) {
    d.add(new LongPoint(START, start));
    d.add(new NumericDocValuesField(START, start));
    d.add(new StoredField(START, start));
    d.add(new LongPoint(END, end));
    d.add(new NumericDocValuesField(END, end));
    d.add(new StoredField(END, end));
  }
}
