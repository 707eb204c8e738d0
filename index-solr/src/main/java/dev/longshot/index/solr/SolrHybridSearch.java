package dev.longshot.index.solr;

import dev.longshot.config.RetrievalSettings;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.index.IndexSchema;
import dev.longshot.retrieval.index.LexicalQueries;
import dev.longshot.retrieval.search.Candidate;
import dev.longshot.retrieval.search.ReciprocalRankFusion;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.retrieval.search.SpanMerger;
import dev.longshot.retrieval.search.TopSpans;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.VideoId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.lucene.util.VectorUtil;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * The embedded index's hybrid search ({@code HybridSearch} in retrieval) over a SolrCloud collection, list for
 * list: BM25 and kNN over the filtered segments; the coarse pass over windows (video and time filters only): BM25
 * over window documents and kNN over window parts, a window ranking by its best part (late interaction, issue 20;
 * pooled {@code window_vector} when there are no parts); then BM25 and kNN over the segments inside the best
 * {@value EvidenceIndex#TOP_WINDOWS} windows; RRF over the four segment lists, then {@link TopSpans}. Fusion happens
 * here, on ids and window spans, so both backends fuse the same ranks.
 *
 * <p>Questions never reach a Solr query parser: the text is analysed here with the index's analyzer ({@link
 * LexicalQueries}, the same {@code EnglishAnalyzer} the collection's {@code text} field uses) and each term or quoted
 * phrase travels as a separate request parameter that {@code {!term}} / {@code {!field}} read verbatim ({@code
 * v=$param}), so {@code :}, {@code *}, {@code (}, {@code AND} or {@code {!} in a question are words, not syntax.
 *
 * <p>Round trips per search: the four first lists in parallel, the two in-window lists in parallel, one fetch of
 * vectors and video markers (7 requests, 3 sequential steps). A candidate counts only when its {@code generation}
 * is the one its video's marker names (whole videos only, see {@link SolrWrites}).
 */
final class SolrHybridSearch {
  private static final String FIELDS = String.join(",", SolrWrites.ID, IndexSchema.VIDEO, IndexSchema.MODALITY,
      IndexSchema.START, IndexSchema.END, IndexSchema.TEXT, IndexSchema.KEYFRAME, SolrWrites.GENERATION);
  private final SolrConnection conn;
  private final RetrievalSettings settings;
  private final LexicalQueries lexical;
  private final ReciprocalRankFusion rrf;
  private final TopSpans spans;
  private final ExecutorService pool;

  SolrHybridSearch(SolrConnection conn, RetrievalSettings settings, LexicalQueries lexical, ExecutorService pool) {
    this.conn = conn;
    this.settings = settings;
    this.lexical = lexical;
    this.pool = pool;
    this.rrf = new ReciprocalRankFusion(settings.rrfK());
    this.spans = new TopSpans(new SpanMerger(Math.round(settings.mergeGapSeconds() * 1000)), settings.minSimilarity());
  }

  List<SearchHit> search(SearchRequest r, float[] qv) {
    List<String> videos = r.videoIds().stream().filter(VideoId::isValid).sorted().toList();
    if (!r.videoIds().isEmpty() && videos.isEmpty()) {
      return List.of(); // no valid id: matches nothing in either backend
    }
    int depth = Math.max(settings.candidates(), r.topK() * 3);
    ModifiableSolrParams lex = lexicalParams(r.query());
    SearchRequest anyModality = r.withModalities(Set.of());
    List<String> segments = filters(IndexSchema.TYPE_SEGMENT, r);
    List<String> restrictions = restrictions(r);
    int windowDepth = 2 * EvidenceIndex.TOP_WINDOWS;
    List<String> windowRestrictions = restrictions(anyModality);
    CompletableFuture<List<SolrDocument>> lexAll = async(() -> ranked(lex, segments, depth));
    CompletableFuture<List<SolrDocument>> vecAll = async(() -> knn(IndexSchema.VECTOR, qv, restrictions, depth));
    CompletableFuture<List<SolrDocument>> lexWin = async(() -> ranked(lex, filters(IndexSchema.TYPE_WINDOW, anyModality), windowDepth));
    CompletableFuture<List<SolrDocument>> vecParts = async(() -> knn(IndexSchema.WINDOW_PART_VECTOR, qv, windowRestrictions,
        windowDepth * EvidenceIndex.PARTS_PROBED_PER_WINDOW));
    Map<String, SolrDocument> docs = new HashMap<>();
    List<List<String>> lists = new ArrayList<>(List.of(ids(join(lexAll), docs), ids(join(vecAll), docs)));
    String inWindows = topWindows(spans(join(lexWin), windowDepth), windowsByVector(join(vecParts), qv, windowRestrictions, windowDepth));
    if (inWindows != null) {
      List<String> segIn = plus(segments, inWindows);
      List<String> restrIn = plus(restrictions, inWindows);
      CompletableFuture<List<SolrDocument>> lexIn = async(() -> ranked(lex, segIn, depth));
      CompletableFuture<List<SolrDocument>> vecIn = async(() -> knn(IndexSchema.VECTOR, qv, restrIn, depth));
      lists.add(ids(join(lexIn), docs));
      lists.add(ids(join(vecIn), docs));
    }
    Map<String, Double> scores = rrf.fuse(lists);
    List<String> fused = scores.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(depth).map(Map.Entry::getKey).toList();
    List<Candidate> candidates = candidates(fused, scores, docs, lists.get(0), lists.get(1), qv);
    try {
      return spans.select(new TopSpans.Candidates() {
        @Override
        public int size() {
          return candidates.size();
        }

        @Override
        public List<Candidate> first(int n) {
          return candidates.subList(0, n);
        }
      }, r.topK());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fetches the vectors of the fused documents and their videos' markers in one request; drops stale generations. */
  private List<Candidate> candidates(List<String> fused, Map<String, Double> scores, Map<String, SolrDocument> docs,
      List<String> lexAll, List<String> vecAll, float[] qv) {
    if (fused.isEmpty()) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>(fused);
    fused.forEach(id -> ids.add(SolrWrites.markerId((String) docs.get(id).getFieldValue(IndexSchema.VIDEO))));
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", "{!terms f=" + SolrWrites.ID + " v=$ids}");
    p.set("ids", String.join(",", ids));
    p.set("rows", ids.size());
    p.set("fl", String.join(",", SolrWrites.ID, IndexSchema.TYPE, IndexSchema.VIDEO, SolrWrites.GENERATION, IndexSchema.VECTOR));
    Map<String, String> current = new HashMap<>();
    Map<String, float[]> vectors = new HashMap<>();
    for (SolrDocument d : conn.query("fetch candidates", p).getResults()) {
      String id = (String) d.getFieldValue(SolrWrites.ID);
      if (IndexSchema.TYPE_VIDEO.equals(d.getFieldValue(IndexSchema.TYPE))) {
        current.put((String) d.getFieldValue(IndexSchema.VIDEO), (String) d.getFieldValue(SolrWrites.GENERATION));
      } else {
        vectors.put(id, floats(d.getFieldValue(IndexSchema.VECTOR)));
      }
    }
    List<Candidate> out = new ArrayList<>(fused.size());
    for (String id : fused) {
      SolrDocument d = docs.get(id);
      String video = (String) d.getFieldValue(IndexSchema.VIDEO);
      if (!d.getFieldValue(SolrWrites.GENERATION).equals(current.get(video)) || !vectors.containsKey(id)) {
        continue; // a write in progress, or a document a failed write left behind
      }
      float[] v = vectors.get(id);
      double similarity = v == null || v.length != qv.length ? -1 : VectorUtil.cosine(qv, v);
      out.add(new Candidate(video, Modality.parse((String) d.getFieldValue(IndexSchema.MODALITY)),
          ((Number) d.getFieldValue(IndexSchema.START)).longValue(), ((Number) d.getFieldValue(IndexSchema.END)).longValue(),
          (String) d.getFieldValue(IndexSchema.TEXT), (String) d.getFieldValue(IndexSchema.KEYFRAME), scores.get(id),
          similarity, lexAll.indexOf(id) + 1, vecAll.indexOf(id) + 1));
    }
    return out;
  }

  /** A window document's identity: its video and time span (windows and their parts share it). */
  private record WindowSpan(String videoId, long startMillis, long endMillis) {}

  /**
   * The vector list of the coarse pass: windows by their best part (late interaction, issue 20), or by their pooled
   * {@code window_vector} in a collection written without parts.
   */
  private List<WindowSpan> windowsByVector(List<SolrDocument> parts, float[] qv, List<String> restrictions, int depth) {
    List<WindowSpan> byPart = spans(parts, depth);
    return byPart.isEmpty() ? spans(knn(IndexSchema.WINDOW_VECTOR, qv, restrictions, depth), depth) : byPart;
  }

  /** The distinct window spans of ranked window or part documents, in rank order, at most {@code limit}. */
  private static List<WindowSpan> spans(List<SolrDocument> ranked, int limit) {
    LinkedHashSet<WindowSpan> out = new LinkedHashSet<>();
    for (SolrDocument d : ranked) {
      out.add(new WindowSpan((String) d.getFieldValue(IndexSchema.VIDEO), ((Number) d.getFieldValue(IndexSchema.START)).longValue(),
          ((Number) d.getFieldValue(IndexSchema.END)).longValue()));
      if (out.size() == limit) {
        break;
      }
    }
    return List.copyOf(out);
  }

  /** The filter for the segments of the best windows (RRF of the two window lists), or null when there are none. */
  private String topWindows(List<WindowSpan> lexical, List<WindowSpan> vector) {
    List<WindowSpan> top = rrf.fuse(List.of(lexical, vector)).entrySet().stream()
        .sorted(Map.Entry.<WindowSpan, Double>comparingByValue().reversed()).limit(EvidenceIndex.TOP_WINDOWS)
        .map(Map.Entry::getKey).toList();
    if (top.isEmpty()) {
      return null;
    }
    return top.stream().map(w -> "(+" + IndexSchema.VIDEO + ":" + w.videoId() + " +" + IndexSchema.START + ":[* TO "
        + w.endMillis() + "] +" + IndexSchema.END + ":[" + w.startMillis() + " TO *])").collect(Collectors.joining(" OR "));
  }

  private List<SolrDocument> ranked(ModifiableSolrParams lex, List<String> filters, int rows) {
    if (lex == null) {
      return List.of();
    }
    ModifiableSolrParams p = new ModifiableSolrParams(lex);
    return list("BM25 search", p, filters, rows);
  }

  private List<SolrDocument> knn(String field, float[] qv, List<String> filters, int rows) {
    ModifiableSolrParams p = new ModifiableSolrParams();
    StringBuilder q = new StringBuilder("{!knn f=").append(field).append(" topK=").append(rows).append("}[");
    for (int i = 0; i < qv.length; i++) {
      q.append(i == 0 ? "" : ",").append(qv[i]);
    }
    p.set("q", q.append(']').toString());
    return list("kNN search", p, filters, rows);
  }

  private List<SolrDocument> list(String what, ModifiableSolrParams p, List<String> filters, int rows) {
    filters.forEach(f -> p.add("fq", f));
    p.set("rows", rows);
    p.set("fl", FIELDS);
    return new ArrayList<>(conn.query(what, p).getResults());
  }

  /**
   * The BM25 query of {@code text} as parameters: one {@code {!term}} clause per distinct analysed term and a
   * boosted {@code {!field}} phrase per quoted phrase, combined with {@code {!bool should=...}}; null when the text
   * has no indexable term. The user's words are only ever parameter values.
   */
  ModifiableSolrParams lexicalParams(String text) {
    Set<String> terms = lexical.terms(text);
    if (terms.isEmpty()) {
      return null;
    }
    ModifiableSolrParams p = new ModifiableSolrParams();
    StringBuilder q = new StringBuilder("{!bool");
    int i = 0;
    for (String t : terms) {
      p.set("lt" + i, "{!term f=" + IndexSchema.TEXT + " v=$ltv" + i + "}");
      p.set("ltv" + i, t);
      q.append(" should=$lt").append(i++);
    }
    int j = 0;
    for (String phrase : LexicalQueries.phrases(text)) {
      if (lexical.terms(phrase).isEmpty()) {
        continue;
      }
      p.set("lp" + j, "{!boost b=" + LexicalQueries.PHRASE_BOOST + " v=$lpq" + j + "}");
      p.set("lpq" + j, "{!field f=" + IndexSchema.TEXT + " v=$lpv" + j + "}");
      p.set("lpv" + j, phrase);
      q.append(" should=$lp").append(j++);
    }
    p.set("q", q.append('}').toString());
    return p;
  }

  /** Filters for documents of {@code type} matching the request's videos, modalities and time range. */
  static List<String> filters(String type, SearchRequest r) {
    return plus(List.of(IndexSchema.TYPE + ":" + type), restrictions(r));
  }

  /** The request's video, modality and time filters (no type: only segments carry {@code vector}). */
  static List<String> restrictions(SearchRequest r) {
    List<String> out = new ArrayList<>();
    if (!r.videoIds().isEmpty()) {
      out.add("{!terms f=" + IndexSchema.VIDEO + "}" + String.join(",", r.videoIds().stream().filter(VideoId::isValid).sorted().toList()));
    }
    if (!r.modalities().isEmpty()) {
      out.add("{!terms f=" + IndexSchema.MODALITY + "}" + r.modalities().stream().map(Modality::id).sorted().collect(Collectors.joining(",")));
    }
    if (r.fromMillis() != null) {
      out.add(IndexSchema.END + ":[" + r.fromMillis() + " TO *]");
    }
    if (r.toMillis() != null) {
      out.add(IndexSchema.START + ":[* TO " + r.toMillis() + "]");
    }
    return out;
  }

  private static List<String> plus(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<String> plus(List<String> a, String b) {
    return plus(a, List.of(b));
  }

  private static List<String> ids(List<SolrDocument> ranked, Map<String, SolrDocument> docs) {
    List<String> out = new ArrayList<>(ranked.size());
    for (SolrDocument d : ranked) {
      String id = (String) d.getFieldValue(SolrWrites.ID);
      docs.putIfAbsent(id, d);
      out.add(id);
    }
    return out;
  }

  static float[] floats(Object value) {
    if (!(value instanceof List<?> list)) {
      return null;
    }
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) list.get(i)).floatValue();
    }
    return out;
  }

  private <T> CompletableFuture<T> async(Supplier<T> s) {
    return CompletableFuture.supplyAsync(s, pool);
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }
}
