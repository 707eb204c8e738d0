package dev.longshot.retrieval.index;

import static dev.longshot.retrieval.Fixtures.VIDEO_A;
import static dev.longshot.retrieval.Fixtures.manifest;
import static dev.longshot.retrieval.Fixtures.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.DecomposerKind;
import dev.longshot.config.RetrievalSettings;
import dev.longshot.retrieval.HashingTextEmbedder;
import dev.longshot.retrieval.index.HybridSearch.WindowSpan;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 2: window documents ranked by their best part (late interaction) against one pooled vector per
 * window. An hour of speech in 10-minute windows; one sentence at 41:00 says where the boathouse key is, while
 * the first 20 minutes say "key" in every segment ("the key point ..."). Pooled over a whole window, the one
 * sentence is drowned by 1,500 other words and the windows that repeat "key" win; the 40-word part holding the
 * sentence matches the question better than any part elsewhere. Uses the bag-of-words stand-in embedder (the
 * mechanism, dilution in a pooled vector, is the same for BGE; the real-model comparison is the LongEmbed harness).
 */
class LateInteractionWindowsTest {
  private static final long SEED = 20261202L;
  private static final String QUESTION = "where is the spare key for the boathouse hidden?";
  private static final long NEEDLE_MILLIS = 2_460_000;
  @TempDir Path tmp;
  private final HashingTextEmbedder embedder = new HashingTextEmbedder(1024);

  @Test
  void aWindowScoresByItsBestPartWhereItsPooledVectorIsOutranked() throws Exception {
    List<Segment> hour = hour();
    List<WindowSpan> late = vectorRanking(tmp.resolve("late"), 40, hour);
    List<WindowSpan> pooled = vectorRanking(tmp.resolve("pooled"), 0, hour);
    System.out.println("seed " + SEED + "\nbest part: " + late + "\npooled:    " + pooled);
    assertThat(late.getFirst().startMillis()).as("best-part ranking, seed " + SEED).isIn(2_100_000L, 2_400_000L);
    assertThat(pooled.subList(0, 3)).as("pooled ranking, seed " + SEED)
        .noneMatch(w -> w.startMillis() <= NEEDLE_MILLIS && w.endMillis() > NEEDLE_MILLIS);
  }

  @Test
  void searchWithPartsStillFindsTheSentence() {
    try (EvidenceIndex index = LuceneEvidenceIndex.open(tmp.resolve("search"), embedder, settings(40))) {
      index.replaceVideo(manifest(VIDEO_A, "fp"), hour());
      List<SearchHit> hits = index.search(SearchRequest.of(QUESTION, 3));
      assertThat(hits.getFirst().evidence().text()).contains("boathouse");
    }
  }

  /** The window-vector list of the coarse pass alone (BM25 over windows would find the rare words anyway). */
  private List<WindowSpan> vectorRanking(Path dir, int partWords, List<Segment> segments) throws Exception {
    RetrievalSettings settings = settings(partWords);
    try (EvidenceIndex index = LuceneEvidenceIndex.open(dir, embedder, settings)) {
      index.replaceVideo(manifest(VIDEO_A, "fp"), segments);
    }
    try (FSDirectory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d);
        EnglishAnalyzer analyzer = new EnglishAnalyzer()) {
      HybridSearch search = new HybridSearch(new LexicalQueries(analyzer), settings);
      return search.rankWindowsByVector(new IndexSearcher(reader), SearchRequest.of(QUESTION, 3), embedder.embedQuery(QUESTION));
    }
  }

  private static RetrievalSettings settings(int partWords) {
    return new RetrievalSettings(8, 60, 0.3, 600, 4, DecomposerKind.RULES, 50, partWords);
  }

  /** One ASR segment every 10 s for an hour: 25 filler words each, "key point" in the first 20 minutes. */
  private static List<Segment> hour() {
    String[] filler = ("river garden harbour museum village market mountain library train bridge winter summer "
        + "autumn morning evening painter teacher farmer sailor baker window ladder kettle basket candle lantern "
        + "meadow forest valley island castle tower street square fountain orchard vineyard meadowlark pebble "
        + "harvest").split(" ");
    Random rnd = new Random(SEED);
    List<Segment> out = new ArrayList<>();
    for (int t = 0; t < 3600; t += 10) {
      StringBuilder s = new StringBuilder();
      if (t == NEEDLE_MILLIS / 1000) {
        s.append("the spare key for the boathouse is hidden under the blue flowerpot");
      } else {
        if (t < 1200) {
          s.append("the key point is ");
        }
        for (int i = 0; i < 25; i++) {
          s.append(filler[rnd.nextInt(filler.length)]).append(' ');
        }
      }
      out.add(seg(Modality.ASR, t, t + 9, s.toString().strip()));
    }
    return out;
  }
}
