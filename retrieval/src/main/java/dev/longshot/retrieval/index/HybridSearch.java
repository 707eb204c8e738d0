package dev.longshot.retrieval.index;

import dev.longshot.config.RetrievalSettings;
import dev.longshot.retrieval.search.Candidate;
import dev.longshot.retrieval.search.ReciprocalRankFusion;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.retrieval.search.SpanMerger;
import dev.longshot.retrieval.search.TopSpans;
import dev.longshot.timeline.Modality;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.VectorUtil;

/**
 * Coarse-to-fine hybrid search over one searcher. Four ranked lists are fused with RRF: BM25 and kNN over all
 * segments that pass the filters, and BM25 and kNN over the segments inside the best {@value #WINDOWS} window
 * documents (the coarse pass, which lets a long passage about the topic lift its short segments; windows rank by
 * their best part when the index has window parts, see {@link #rankWindows}). The fused
 * segments are merged into spans; each hit carries the cosine similarity of its best segment.
 */
final class HybridSearch {
  static final int WINDOWS = EvidenceIndex.TOP_WINDOWS;
  private static final int WINDOW_DEPTH = 2 * WINDOWS;
  /** Parts fetched per wanted window: neighbouring parts of one good window tend to rank together. */
  static final int PARTS_PROBED_PER_WINDOW = EvidenceIndex.PARTS_PROBED_PER_WINDOW;
  private static final Set<String> CANDIDATE_FIELDS = Set.of(IndexSchema.VIDEO, IndexSchema.MODALITY, IndexSchema.START,
      IndexSchema.END, IndexSchema.TEXT, IndexSchema.KEYFRAME);
  private final LexicalQueries lexical;
  private final RetrievalSettings settings;
  private final ReciprocalRankFusion rrf;
  private final TopSpans spans;

  HybridSearch(LexicalQueries lexical, RetrievalSettings settings) {
    this.lexical = lexical;
    this.settings = settings;
    this.rrf = new ReciprocalRankFusion(settings.rrfK());
    this.spans = new TopSpans(new SpanMerger(Math.round(settings.mergeGapSeconds() * 1000)), settings.minSimilarity());
  }

  List<SearchHit> search(IndexSearcher searcher, SearchRequest r, float[] queryVector) throws IOException {
    int depth = Math.max(settings.candidates(), r.topK() * 3);
    Query lex = lexical.build(r.query());
    Query segments = filter(IndexSchema.TYPE_SEGMENT, r);
    Query restrictions = restrictions(r);
    List<Integer> lexAll = ranked(searcher, lex, segments, depth);
    List<Integer> vecAll = knn(searcher, IndexSchema.VECTOR, queryVector, restrictions, depth);
    List<List<Integer>> lists = new ArrayList<>(List.of(lexAll, vecAll));
    Query inWindows = topWindows(searcher, r, lex, queryVector);
    if (inWindows != null) {
      lists.add(ranked(searcher, lex, and(segments, inWindows), depth));
      lists.add(knn(searcher, IndexSchema.VECTOR, queryVector, and(restrictions, inWindows), depth));
    }
    Map<Integer, Double> fused = rrf.fuse(lists);
    List<Map.Entry<Integer, Double>> best = fused.entrySet().stream()
        .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed()).limit(depth).toList();
    CandidateLoader loader = new CandidateLoader(searcher, best, lexAll, vecAll, queryVector);
    return spans.select(loader, r.topK());
  }

  /** Turns fused doc ids into {@link Candidate}s on demand, in fused order. */
  private static final class CandidateLoader implements TopSpans.Candidates {
    private final IndexSearcher searcher;
    private final List<Map.Entry<Integer, Double>> fused;
    private final List<Integer> lexical;
    private final List<Integer> vector;
    private final float[] queryVector;
    private final List<Candidate> loaded = new ArrayList<>();
    private final StoredFields stored;

    CandidateLoader(IndexSearcher searcher, List<Map.Entry<Integer, Double>> fused, List<Integer> lexical,
        List<Integer> vector, float[] queryVector) throws IOException {
      this.searcher = searcher;
      this.fused = fused;
      this.lexical = lexical;
      this.vector = vector;
      this.queryVector = queryVector;
      this.stored = searcher.storedFields();
    }

    @Override
    public int size() {
      return fused.size();
    }

    @Override
    public List<Candidate> first(int n) throws IOException {
      while (loaded.size() < n) {
        Map.Entry<Integer, Double> e = fused.get(loaded.size());
        int doc = e.getKey();
        Document d = stored.document(doc, CANDIDATE_FIELDS);
        loaded.add(new Candidate(d.get(IndexSchema.VIDEO), Modality.parse(d.get(IndexSchema.MODALITY)),
            d.getField(IndexSchema.START).numericValue().longValue(), d.getField(IndexSchema.END).numericValue().longValue(),
            d.get(IndexSchema.TEXT), d.get(IndexSchema.KEYFRAME), e.getValue(),
            cosine(searcher, doc, queryVector), lexical.indexOf(doc) + 1, vector.indexOf(doc) + 1));
      }
      return loaded.subList(0, n);
    }
  }

  /** A filter for the spans of the best windows, or null when the coarse pass finds no window. */
  private Query topWindows(IndexSearcher searcher, SearchRequest r, Query lex, float[] qv) throws IOException {
    List<WindowSpan> top = rankWindows(searcher, r, lex, qv);
    if (top.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    for (WindowSpan w : top) {
      any.add(new BooleanQuery.Builder()
          .add(new TermQuery(new Term(IndexSchema.VIDEO, w.videoId())), Occur.FILTER)
          .add(range(IndexSchema.START, Long.MIN_VALUE, w.endMillis()), Occur.FILTER)
          .add(range(IndexSchema.END, w.startMillis(), Long.MAX_VALUE), Occur.FILTER).build(), Occur.SHOULD);
    }
    return any.build();
  }

  /** A window document's identity: its video and time span. */
  record WindowSpan(String videoId, long startMillis, long endMillis) {}

  /**
   * The coarse pass: the best {@value #WINDOWS} windows by RRF of BM25 over window documents and the window
   * vector ranking. The vector ranking is late interaction (issue 20) when the index has window parts: a window
   * scores by its best part (HNSW over the parts, first occurrence of each window); an index without parts ranks
   * windows by their pooled {@code window_vector}.
   */
  List<WindowSpan> rankWindows(IndexSearcher searcher, SearchRequest r, Query lex, float[] qv) throws IOException {
    SearchRequest anyModality = r.withModalities(Set.of());
    List<WindowSpan> lexical = spans(searcher, ranked(searcher, lex, filter(IndexSchema.TYPE_WINDOW, anyModality),
        WINDOW_DEPTH), WINDOW_DEPTH);
    return rrf.fuse(List.of(lexical, rankWindowsByVector(searcher, r, qv))).entrySet().stream()
        .sorted(Map.Entry.<WindowSpan, Double>comparingByValue().reversed()).limit(WINDOWS).map(Map.Entry::getKey).toList();
  }

  /** The vector list of the coarse pass: windows by best part, or by pooled vector in an index without parts. */
  List<WindowSpan> rankWindowsByVector(IndexSearcher searcher, SearchRequest r, float[] qv) throws IOException {
    Query restrictions = restrictions(r.withModalities(Set.of()));
    List<WindowSpan> byPart = spans(searcher, knn(searcher, IndexSchema.WINDOW_PART_VECTOR, qv, restrictions,
        WINDOW_DEPTH * PARTS_PROBED_PER_WINDOW), WINDOW_DEPTH);
    return byPart.isEmpty()
        ? spans(searcher, knn(searcher, IndexSchema.WINDOW_VECTOR, qv, restrictions, WINDOW_DEPTH), WINDOW_DEPTH)
        : byPart;
  }

  /** The distinct window spans of ranked window or part documents, in rank order, at most {@code limit}. */
  private static List<WindowSpan> spans(IndexSearcher searcher, List<Integer> docs, int limit) throws IOException {
    StoredFields stored = searcher.storedFields();
    LinkedHashSet<WindowSpan> out = new LinkedHashSet<>();
    for (int doc : docs) {
      Document d = stored.document(doc, Set.of(IndexSchema.VIDEO, IndexSchema.START, IndexSchema.END));
      out.add(new WindowSpan(d.get(IndexSchema.VIDEO), d.getField(IndexSchema.START).numericValue().longValue(),
          d.getField(IndexSchema.END).numericValue().longValue()));
      if (out.size() == limit) {
        break;
      }
    }
    return List.copyOf(out);
  }

  private static Query and(Query a, Query b) {
    return a == null ? b : new BooleanQuery.Builder().add(a, Occur.FILTER).add(b, Occur.FILTER).build();
  }

  private static List<Integer> ranked(IndexSearcher searcher, Query lex, Query filter, int n) throws IOException {
    if (lex == null) {
      return List.of();
    }
    Query q = new BooleanQuery.Builder().add(lex, Occur.MUST).add(filter, Occur.FILTER).build();
    return docs(searcher.search(q, n).scoreDocs);
  }

  private static List<Integer> knn(IndexSearcher searcher, String field, float[] qv, Query filter, int n)
      throws IOException {
    return docs(searcher.search(new KnnFloatVectorQuery(field, qv, n, filter), n).scoreDocs);
  }

  private static List<Integer> docs(ScoreDoc[] scoreDocs) {
    List<Integer> out = new ArrayList<>(scoreDocs.length);
    for (ScoreDoc sd : scoreDocs) {
      out.add(sd.doc);
    }
    return out;
  }

  /** Filters for documents of {@code type} matching the request's videos, modalities and time range. */
  static Query filter(String type, SearchRequest r) {
    Query rest = restrictions(r);
    Query t = new TermQuery(new Term(IndexSchema.TYPE, type));
    return rest == null ? t : and(t, rest);
  }

  /**
   * The request's video, modality and time clauses, or null when it has none. kNN needs no type clause: only
   * segments carry {@code vector}, only windows {@code window_vector} and only window parts {@code
   * window_part_vector}, so an unrestricted request runs
   * unfiltered HNSW.
   */
  static Query restrictions(SearchRequest r) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean any = false;
    if (!r.videoIds().isEmpty()) {
      b.add(anyOf(IndexSchema.VIDEO, r.videoIds()), Occur.FILTER);
      any = true;
    }
    if (!r.modalities().isEmpty()) {
      b.add(anyOf(IndexSchema.MODALITY, r.modalities().stream().map(Modality::id).toList()), Occur.FILTER);
      any = true;
    }
    if (r.fromMillis() != null) {
      b.add(range(IndexSchema.END, r.fromMillis(), Long.MAX_VALUE), Occur.FILTER);
      any = true;
    }
    if (r.toMillis() != null) {
      b.add(range(IndexSchema.START, Long.MIN_VALUE, r.toMillis()), Occur.FILTER);
      any = true;
    }
    return any ? b.build() : null;
  }

  /** A range over a long field that Lucene can run from points or, next to a selective clause, from doc values. */
  private static Query range(String field, long from, long to) {
    return new IndexOrDocValuesQuery(LongPoint.newRangeQuery(field, from, to),
        NumericDocValuesField.newSlowRangeQuery(field, from, to));
  }

  private static Query anyOf(String field, Collection<String> values) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    values.stream().sorted(Comparator.naturalOrder()).forEach(v -> b.add(new TermQuery(new Term(field, v)), Occur.SHOULD));
    return b.build();
  }

  private static double cosine(IndexSearcher searcher, int doc, float[] qv) throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
    if (values == null) {
      return -1;
    }
    KnnVectorValues.DocIndexIterator it = values.iterator();
    int local = doc - leaf.docBase;
    return it.advance(local) == local ? VectorUtil.cosine(qv, values.vectorValue(it.index())) : -1;
  }
}
