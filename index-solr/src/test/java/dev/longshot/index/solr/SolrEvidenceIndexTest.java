package dev.longshot.index.solr;

import static dev.longshot.retrieval.Fixtures.lecture;
import static dev.longshot.retrieval.Fixtures.manifest;
import static dev.longshot.retrieval.Fixtures.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.LongshotConfig;
import dev.longshot.config.SolrSettings;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.retrieval.Fixtures;
import dev.longshot.retrieval.HashingTextEmbedder;
import dev.longshot.retrieval.TruthSegments;
import dev.longshot.retrieval.eval.EvalQuestion;
import dev.longshot.retrieval.eval.QuestionsFile;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.index.EvidenceIndexContract;
import dev.longshot.retrieval.index.IndexSchema;
import dev.longshot.retrieval.index.LuceneEvidenceIndex;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.SolrInputDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SolrCloud backend on a real two-node SolrCloud (MiniSolrCloudCluster with embedded ZooKeeper, in its own
 * JVM: {@link SolrCloudProcess}): the backend contract, the same top results as the embedded index on the sample
 * lecture, whole videos only, schema mismatches, and (last, since it stops a node) a node failure with
 * replication factor 2. One cluster for the whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrEvidenceIndexTest extends EvidenceIndexContract {
  @TempDir static Path tmp;
  static SolrCloudProcess cluster;
  static SolrEvidenceIndex index;

  @BeforeAll
  static void startCluster() {
    cluster = SolrCloudProcess.start(2, tmp);
    index = SolrEvidenceIndex.open(viaZooKeeper("contract"), EMBEDDER, Fixtures.settings());
  }

  @AfterAll
  static void stopCluster() {
    if (index != null) {
      index.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static SolrSettings viaZooKeeper(String collection) {
    return new SolrSettings(List.of(cluster.zkHosts()), List.of(), collection, 2, 2, Duration.ofSeconds(30));
  }

  static SolrSettings viaUrls(String collection) {
    return new SolrSettings(List.of(), cluster.urls(), collection, 2, 2, Duration.ofSeconds(30));
  }

  @Override
  protected EvidenceIndex index() {
    return index;
  }

  /** Issue 19 item 5: both backends, same documents, same questions, same top results. */
  @Test
  void givesTheSameTopResultsAsTheEmbeddedIndexOnTheSampleLecture() {
    LongshotConfig config = LongshotConfig.defaults();
    String video = "1ec7c0e000000001";
    VideoManifest m = manifest(video, "truth");
    List<Segment> truth = TruthSegments.lecture();
    List<EvalQuestion> questions = QuestionsFile.read(TruthSegments.repoRoot().resolve("sample-media/lecture.questions.jsonl"));
    try (TextEmbedder bge = TextEmbedders.create(config.embeddings());
        LuceneEvidenceIndex lucene = LuceneEvidenceIndex.open(tmp.resolve("lucene"), bge, config.retrieval());
        SolrEvidenceIndex solr = SolrEvidenceIndex.open(viaUrls("lecture"), bge, config.retrieval())) {
      lucene.replaceVideo(m, truth);
      solr.replaceVideo(m, truth);
      int sameTop1 = 0;
      int sameTop3 = 0;
      for (EvalQuestion q : questions) {
        float[] qv = bge.embedQuery(q.question());
        SearchRequest r = SearchRequest.of(q.question(), config.retrieval().topK());
        List<String> l = spans(lucene.searchWithVector(r, qv));
        List<String> s = spans(solr.searchWithVector(r, qv));
        sameTop1 += l.getFirst().equals(s.getFirst()) ? 1 : 0;
        sameTop3 += l.subList(0, 3).equals(s.subList(0, 3)) ? 1 : 0;
        if (!l.subList(0, 3).equals(s.subList(0, 3))) {
          System.out.println("differs: " + q.question() + "\n  lucene " + l.subList(0, 3) + "\n  solr   " + s.subList(0, 3));
        }
      }
      System.out.printf("sample lecture, %d questions: same top-1 %d, same top-3 %d%n", questions.size(), sameTop1, sameTop3);
      assertThat(sameTop1).isEqualTo(questions.size());
      assertThat(sameTop3).isEqualTo(questions.size());
    }
  }

  private static List<String> spans(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::evidence)
        .map(e -> e.videoId() + " " + e.modality().id() + " " + e.startMillis() + "-" + e.endMillis()).toList();
  }

  @Test
  void aCollectionOfAnotherDimensionIsRefusedNamingBoth() {
    assertThatThrownBy(() -> SolrEvidenceIndex.open(viaZooKeeper("contract"), new HashingTextEmbedder(128), Fixtures.settings()))
        .isInstanceOf(SolrIndexException.class)
        .hasMessageContaining("256").hasMessageContaining("128").hasMessageContaining("contract")
        .hasMessageContaining(cluster.zkHosts());
  }

  @Test
  void aCollectionBuiltWithAnotherEmbedderIsRefused() {
    assertThatThrownBy(() -> SolrEvidenceIndex.open(viaZooKeeper("contract"), new HashingTextEmbedder(256, "other-model"), Fixtures.settings()))
        .isInstanceOf(SolrIndexException.class).hasMessageContaining("other-model").hasMessageContaining("hashing-stand-in");
  }

  /** A write cut short leaves documents no marker names: readers never see them, the next write removes them. */
  @Test
  void documentsOfAnUnfinishedWriteAreNeverSeen() throws Exception {
    String a = newVideoId();
    index.replaceVideo(manifest(a, "fp1"), List.of(seg(Modality.ASR, 1, 5, "the old sentence about rivers")));
    try (CloudSolrClient raw = new CloudSolrClient.Builder(List.of(cluster.zkHosts().split("/")[0]), Optional.of("/solr")).build()) {
      SolrInputDocument half = new SolrInputDocument();
      half.addField("id", a + "!deadbeefdeadbeef-s0");
      half.addField(IndexSchema.TYPE, IndexSchema.TYPE_SEGMENT);
      half.addField(IndexSchema.VIDEO, a);
      half.addField("generation", "deadbeefdeadbeef");
      half.addField(IndexSchema.MODALITY, "asr");
      half.addField(IndexSchema.START, 1000L);
      half.addField(IndexSchema.END, 5000L);
      half.addField(IndexSchema.TEXT, "a half written sentence about rivers");
      List<Float> v = new ArrayList<>();
      for (float f : EMBEDDER.embedQuery("a half written sentence about rivers")) {
        v.add(f);
      }
      half.addField(IndexSchema.VECTOR, v);
      UpdateRequest add = new UpdateRequest();
      add.add(half);
      add.setAction(UpdateRequest.ACTION.COMMIT, true, true, true);
      add.process(raw, "contract");
    }
    List<Evidence> seen = index.search(new SearchRequest("half written sentence rivers", Set.of(a), Set.of(), null, null, 5))
        .stream().map(SearchHit::evidence).toList();
    assertThat(seen).extracting(Evidence::text).containsExactly("the old sentence about rivers");
    assertThat(index.segmentCount(a)).isEqualTo(1);

    index.replaceVideo(manifest(a, "fp2"), List.of(seg(Modality.ASR, 1, 5, "the new sentence about lakes")));
    assertThat(index.search(new SearchRequest("half written rivers lakes", Set.of(a), Set.of(), null, null, 5)))
        .extracting(h -> h.evidence().text()).containsExactly("the new sentence about lakes");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void keepsAnsweringAndWritesWholeVideosWhenANodeStops() throws Exception {
    SolrFaultRun.run(cluster, viaZooKeeper("fault"), SolrFaultRun.videosFromProperty());
  }
}
