package dev.longshot.index.solr;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.retrieval.index.EmbedderChecks;
import dev.longshot.config.RetrievalSettings;
import dev.longshot.retrieval.index.IndexSchema;
import dev.longshot.retrieval.index.Window;
import dev.longshot.retrieval.index.WindowBuilder;
import dev.longshot.retrieval.index.WindowParts;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoId;
import dev.longshot.timeline.VideoManifest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.solr.client.solrj.request.AbstractUpdateRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.SolrInputDocument;

/**
 * Writes one video as one unit. A SolrCloud collection has no transactions, and several machines commit into it,
 * so "one unit" is built from a generation: every document of a write carries {@code generation} (a hash of the
 * video id, settings fingerprint, embedder and segments: the same write always has the same generation and the
 * same document ids), and the video's marker document names the generation readers may see.
 *
 * <ol>
 *   <li>add the segment and window documents of the new generation (in batches; invisible to readers, whose
 *       marker still names the old generation or none);
 *   <li>add the marker with the new generation: from the next commit on, readers see the new documents;
 *   <li>delete the video's documents of any other generation, and soft-commit.
 * </ol>
 *
 * A failure at any step leaves readers on a whole video (the old or the new one); documents of a generation no
 * marker names are never returned and are deleted by the video's next write. A retried write re-sends the same
 * ids and generation, so retrying (here, per request, and by re-running the ingest) is idempotent. All documents
 * of a video are routed to one shard ({@code VIDEO!} id prefix).
 */
final class SolrWrites {
  static final String ID = "id";
  static final String GENERATION = "generation";
  static final String EMBEDDER = "embedder";
  static final int BATCH = 200;
  private final SolrConnection conn;
  private final TextEmbedder embedder;
  private final WindowBuilder windows;
  private final long windowMillis;
  private final WindowParts parts; // null: one pooled vector per window
  private final int partWords;

  SolrWrites(SolrConnection conn, TextEmbedder embedder, RetrievalSettings settings) {
    this.conn = conn;
    this.embedder = embedder;
    this.windowMillis = Math.round(settings.windowSeconds() * 1000);
    this.windows = new WindowBuilder(windowMillis);
    this.partWords = settings.windowPartWords();
    this.parts = partWords > 0 ? new WindowParts(partWords) : null;
  }

  static String markerId(String videoId) {
    return videoId + "!video";
  }

  void replace(VideoManifest manifest, List<Segment> segments) {
    String id = VideoId.require(manifest.videoId());
    List<Segment> kept = segments.stream().filter(s -> !s.text().isBlank()).toList();
    List<Window> ws = windows.build(kept);
    List<float[]> segVectors = embed(kept.stream().map(Segment::text).toList());
    List<float[]> winVectors = embed(ws.stream().map(Window::text).toList());
    String generation = generation(manifest, kept);
    List<SolrInputDocument> docs = new ArrayList<>(kept.size() + ws.size());
    for (int i = 0; i < kept.size(); i++) {
      Segment s = kept.get(i);
      SolrInputDocument d = base(id, generation, "s" + i, IndexSchema.TYPE_SEGMENT, s.startMillis(), s.endMillis(), s.text(), s.keyframe());
      d.addField(IndexSchema.MODALITY, s.modality().id());
      d.addField(IndexSchema.VECTOR, vector(segVectors.get(i)));
      docs.add(d);
    }
    for (int i = 0; i < ws.size(); i++) {
      Window w = ws.get(i);
      SolrInputDocument d = base(id, generation, "w" + i, IndexSchema.TYPE_WINDOW, w.startMillis(), w.endMillis(), w.text(), w.keyframe());
      d.addField(IndexSchema.WINDOW_VECTOR, vector(winVectors.get(i)));
      docs.add(d);
    }
    docs.addAll(partDocuments(id, generation, ws, winVectors));
    for (int from = 0; from < docs.size(); from += BATCH) {
      UpdateRequest add = new UpdateRequest();
      add.add(docs.subList(from, Math.min(docs.size(), from + BATCH)));
      conn.request("write video " + id, add);
    }
    SolrInputDocument marker = new SolrInputDocument();
    marker.addField(ID, markerId(id));
    marker.addField(IndexSchema.TYPE, IndexSchema.TYPE_VIDEO);
    marker.addField(IndexSchema.VIDEO, id);
    marker.addField(GENERATION, generation);
    if (manifest.fileName() != null) {
      marker.addField(IndexSchema.FILE_NAME, manifest.fileName());
    }
    marker.addField(IndexSchema.FINGERPRINT, manifest.settingsFingerprint());
    marker.addField(EMBEDDER, embedder.name());
    marker.addField(IndexSchema.SEGMENT_COUNT, kept.size());
    marker.addField(IndexSchema.WINDOW_COUNT, ws.size());
    UpdateRequest flip = new UpdateRequest();
    flip.add(marker);
    conn.request("write video " + id, flip);
    deleteAndCommit(id, IndexSchema.VIDEO + ":" + id + " AND -" + GENERATION + ":" + generation);
  }

  /**
   * One document per window part (late interaction, issue 20), as the embedded index writes them: a window that is
   * one part reuses the window's vector; the parts of longer windows are embedded in one call.
   */
  private List<SolrInputDocument> partDocuments(String video, String generation, List<Window> ws, List<float[]> winVectors) {
    if (parts == null) {
      return List.of();
    }
    List<Window> owners = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    List<Window> single = new ArrayList<>();
    List<float[]> singleVectors = new ArrayList<>();
    for (int i = 0; i < ws.size(); i++) {
      List<String> split = parts.split(ws.get(i).text());
      if (split.size() == 1) {
        single.add(ws.get(i));
        singleVectors.add(winVectors.get(i));
        continue;
      }
      for (String part : split) {
        owners.add(ws.get(i));
        texts.add(part);
      }
    }
    owners.addAll(0, single);
    vectors.addAll(singleVectors);
    vectors.addAll(embed(texts));
    List<SolrInputDocument> out = new ArrayList<>(owners.size());
    for (int i = 0; i < owners.size(); i++) {
      Window w = owners.get(i);
      SolrInputDocument d = new SolrInputDocument();
      d.addField(ID, video + "!" + generation + "-p" + i);
      d.addField(IndexSchema.TYPE, IndexSchema.TYPE_WINDOW_PART);
      d.addField(IndexSchema.VIDEO, video);
      d.addField(GENERATION, generation);
      d.addField(IndexSchema.START, w.startMillis());
      d.addField(IndexSchema.END, w.endMillis());
      d.addField(IndexSchema.WINDOW_PART_VECTOR, vector(vectors.get(i)));
      out.add(d);
    }
    return out;
  }

  /** Deletes the marker first (the video disappears at once for readers), then its documents. */
  void delete(String videoId) {
    String id = VideoId.require(videoId);
    UpdateRequest hide = new UpdateRequest();
    hide.deleteById(markerId(id), id + "!");
    conn.request("delete video " + id, hide);
    deleteAndCommit(id, IndexSchema.VIDEO + ":" + id);
  }

  private void deleteAndCommit(String videoId, String query) {
    UpdateRequest clean = new UpdateRequest();
    clean.deleteByQuery(query);
    clean.setParam("_route_", videoId + "!");
    clean.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true, true);
    conn.request("commit video " + videoId, clean);
  }

  private static SolrInputDocument base(String video, String generation, String part, String type, long start,
      long end, String text, String keyframe) {
    SolrInputDocument d = new SolrInputDocument();
    d.addField(ID, video + "!" + generation + "-" + part);
    d.addField(IndexSchema.TYPE, type);
    d.addField(IndexSchema.VIDEO, video);
    d.addField(GENERATION, generation);
    d.addField(IndexSchema.START, start);
    d.addField(IndexSchema.END, end);
    d.addField(IndexSchema.TEXT, text);
    if (keyframe != null) {
      d.addField(IndexSchema.KEYFRAME, keyframe);
    }
    return d;
  }

  private static List<Float> vector(float[] v) {
    List<Float> out = new ArrayList<>(v.length);
    for (float f : v) {
      out.add(f);
    }
    return out;
  }

  private List<float[]> embed(List<String> texts) {
    return EmbedderChecks.passageVectors(embedder, texts);
  }

  /** The same write always gets the same generation: video, settings, embedder, window length and every segment. */
  private String generation(VideoManifest m, List<Segment> kept) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      update(sha, m.videoId(), m.settingsFingerprint(), m.fileName(), embedder.name(), Integer.toString(embedder.dimension()),
          Long.toString(windowMillis), Integer.toString(partWords));
      for (Segment s : kept) {
        update(sha, s.modality().id(), Long.toString(s.startMillis()), Long.toString(s.endMillis()), s.text(), s.keyframe());
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void update(MessageDigest sha, String... parts) {
    for (String p : parts) {
      sha.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
  }
}
