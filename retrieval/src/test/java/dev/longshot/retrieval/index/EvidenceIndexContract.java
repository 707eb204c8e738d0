package dev.longshot.retrieval.index;

import static dev.longshot.retrieval.Fixtures.lecture;
import static dev.longshot.retrieval.Fixtures.manifest;
import static dev.longshot.retrieval.Fixtures.seg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.retrieval.Fixtures;
import dev.longshot.retrieval.HashingTextEmbedder;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Modality;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EvidenceIndex} backend must do (issue 19): the same documents, the same hybrid search with
 * video, modality and time filters, per-video replace and delete, lookups, and questions that are words even when
 * they look like query syntax. A backend's test extends this and returns its index from {@link #index()}; the index
 * may be shared by all tests of the class (a cluster is expensive), so each test works on videos of its own.
 */
public abstract class EvidenceIndexContract {
  /** The stand-in embedder every contract test indexes with (fast, deterministic). */
  public static final HashingTextEmbedder EMBEDDER = new HashingTextEmbedder(256);

  /** The index under test, opened with {@link #EMBEDDER} and {@link Fixtures#settings()}. */
  protected abstract EvidenceIndex index();

  /** A video id no other test uses. */
  protected static String newVideoId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  @Test
  void findsTheSlideAndTheSentenceAboutTheLearningRate() {
    String a = newVideoId();
    index().replaceVideo(manifest(a, "fp1"), lecture());
    List<SearchHit> hits = index().search(new SearchRequest("what does the learning rate control?", Set.of(a), Set.of(), null, null, 5));
    assertThat(hits).isNotEmpty();
    SearchHit top = hits.getFirst();
    assertThat(top.evidence().text()).containsIgnoringCase("learning rate");
    assertThat(top.evidence().startMillis()).isBetween(20_000L, 40_000L);
    assertThat(top.evidence().keyframe()).endsWith(".jpg");
    assertThat(hits).extracting(h -> h.evidence().modality()).contains(Modality.OCR, Modality.ASR);
    assertThat(top.similarity()).isBetween(-1.0, 1.0);
  }

  @Test
  void filtersByVideoModalityAndTimeRange() {
    String a = newVideoId();
    String b = newVideoId();
    index().replaceVideo(manifest(a, "fp1"), lecture());
    index().replaceVideo(manifest(b, "fp1"), List.of(seg(Modality.ASR, 5, 10, "the learning rate of video b")));
    assertThat(index().search(new SearchRequest("learning rate", Set.of(b), Set.of(), null, null, 10)))
        .isNotEmpty().extracting(h -> h.evidence().videoId()).containsOnly(b);
    assertThat(index().search(new SearchRequest("learning rate", Set.of(a, b), Set.of(Modality.OCR), null, null, 10)))
        .isNotEmpty().extracting(h -> h.evidence().modality()).containsOnly(Modality.OCR);
    List<SearchHit> late = index().search(new SearchRequest("learning rate", Set.of(a), Set.of(), 44_000L, 100_000L, 10));
    assertThat(late).isNotEmpty().allSatisfy(h -> assertThat(h.evidence().endMillis()).isGreaterThanOrEqualTo(44_000L));
    List<SearchHit> early = index().search(new SearchRequest("learning rate", Set.of(a), Set.of(), null, 19_000L, 10));
    assertThat(early).isNotEmpty().allSatisfy(h -> assertThat(h.evidence().startMillis()).isLessThanOrEqualTo(19_000L));
    assertThat(index().search(new SearchRequest("learning rate", Set.of("not-a-video-id"), Set.of(), null, null, 10))).isEmpty();
    assertThat(index().search(new SearchRequest("the learning rate of video b", Set.of(), Set.of(), null, null, 10)))
        .as("no video filter searches every video").extracting(h -> h.evidence().videoId()).contains(b);
  }

  @Test
  void mergesAdjacentSegmentsOfOneModalityIntoOneSpan() {
    String a = newVideoId();
    index().replaceVideo(manifest(a, "fp1"), List.of(
        seg(Modality.ASR, 10, 15, "the learning rate is the step size"),
        seg(Modality.ASR, 16, 20, "a learning rate too large diverges"),
        seg(Modality.ASR, 200, 205, "unrelated words about cooking pasta")));
    List<SearchHit> hits = index().search(new SearchRequest("learning rate", Set.of(a), Set.of(Modality.ASR), null, null, 5));
    SearchHit top = hits.getFirst();
    assertThat(top.segments()).isEqualTo(2);
    assertThat(top.evidence().startMillis()).isEqualTo(10_000);
    assertThat(top.evidence().endMillis()).isEqualTo(20_000);
    assertThat(top.evidence().text()).isEqualTo("the learning rate is the step size a learning rate too large diverges");
  }

  @Test
  void replaceDeleteAndContainsWorkPerVideo() {
    String a = newVideoId();
    String b = newVideoId();
    index().replaceVideo(manifest(a, "fp1"), lecture());
    index().replaceVideo(manifest(b, "fp1"), List.of(seg(Modality.ASR, 1, 2, "hello")));
    assertThat(index().contains(a, "fp1")).isTrue();
    assertThat(index().contains(a, "fp2")).isFalse();
    assertThat(index().segmentCount(a)).isEqualTo(lecture().size());

    index().replaceVideo(manifest(a, "fp1"), lecture()); // the same write again changes nothing
    assertThat(index().segmentCount(a)).isEqualTo(lecture().size());

    index().replaceVideo(manifest(a, "fp2"), List.of(seg(Modality.ASR, 1, 2, "only one segment now")));
    assertThat(index().segmentCount(a)).isEqualTo(1);
    assertThat(index().contains(a, "fp2")).isTrue();
    assertThat(index().search(new SearchRequest("gradient descent", Set.of(a), Set.of(), null, null, 5)))
        .noneMatch(h -> h.evidence().text().contains("gradient"));

    assertThat(index().deleteVideo(a)).isTrue();
    assertThat(index().deleteVideo(a)).isFalse();
    assertThat(index().videoIds()).contains(b).doesNotContain(a);
    assertThat(index().segmentCount(a)).isZero();
    assertThat(index().contains(a, "fp2")).isFalse();
    assertThat(index().search(new SearchRequest("only one segment", Set.of(a), Set.of(), null, null, 5))).isEmpty();
  }

  @Test
  void findsAVideoByIdOrByTheFileNameItWasIngestedUnder() {
    String a = newVideoId();
    index().replaceVideo(manifest(a, "fp1"), lecture());
    assertThat(index().findVideo(a)).contains(a);
    assertThat(index().findVideo(a + ".mp4")).contains(a);
    assertThat(index().findVideo("other-" + a + ".mp4")).isEmpty();
    assertThat(index().findVideo("")).isEmpty();
  }

  /** Issue 19: query syntax in a question (Lucene's, Solr's local params) is text, never parsed. */
  @Test
  void questionsThatLookLikeQuerySyntaxAreWords() {
    String a = newVideoId();
    index().replaceVideo(manifest(a, "fp1"), lecture());
    for (String q : List.of("learning rate: what is it?", "learning*", "(learning rate", "learning AND rate",
        "{!knn f=vector topK=1000}[1,2] learning rate", "text:* OR type:video", "\"learning rate\" -adam +momentum ~2 ^3 \\",
        "{!", ":", "*", "AND")) {
      List<SearchHit> hits = index().search(new SearchRequest(q, Set.of(a), Set.of(), null, null, 5));
      assertThat(hits).as(q).allSatisfy(h -> assertThat(h.evidence().videoId()).isEqualTo(a));
      if (q.contains("learning")) {
        assertThat(hits).as(q).isNotEmpty();
        assertThat(hits.getFirst().evidence().text()).as(q).containsIgnoringCase("learning");
      }
    }
  }

  @Test
  void aQueryVectorOfTheWrongDimensionIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> index().searchWithVector(SearchRequest.of("x", 3), new float[3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3").hasMessageContaining("256");
  }
}
