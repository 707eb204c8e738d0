package dev.longshot.retrieval.index;

import static dev.longshot.retrieval.Fixtures.VIDEO_A;
import static dev.longshot.retrieval.Fixtures.VIDEO_B;
import static dev.longshot.retrieval.Fixtures.lecture;
import static dev.longshot.retrieval.Fixtures.manifest;
import static dev.longshot.retrieval.Fixtures.seg;
import static dev.longshot.retrieval.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.retrieval.HashingTextEmbedder;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Modality;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceIndexTest {
  @TempDir Path tmp;
  private final HashingTextEmbedder embedder = new HashingTextEmbedder(256);

  @Test
  void findsTheSlideAndTheSentenceAboutTheLearningRate() {
    try (EvidenceIndex index = LuceneEvidenceIndex.open(tmp.resolve("index"), embedder, settings())) {
      index.replaceVideo(manifest(VIDEO_A, "fp1"), lecture());
      List<SearchHit> hits = index.search(SearchRequest.of("what does the learning rate control?", 5));
      assertThat(hits).isNotEmpty();
      SearchHit top = hits.getFirst();
      assertThat(top.evidence().text()).containsIgnoringCase("learning rate");
      assertThat(top.evidence().startMillis()).isBetween(20_000L, 40_000L);
      assertThat(top.evidence().keyframe()).endsWith(".jpg");
      assertThat(hits).extracting(h -> h.evidence().modality()).contains(Modality.OCR, Modality.ASR);
    }
  }

  @Test
  void filtersByVideoModalityAndTimeRange() {
    try (EvidenceIndex index = LuceneEvidenceIndex.open(tmp.resolve("index"), embedder, settings())) {
      index.replaceVideo(manifest(VIDEO_A, "fp1"), lecture());
      index.replaceVideo(manifest(VIDEO_B, "fp1"), List.of(seg(Modality.ASR, 5, 10, "the learning rate of video b")));
      assertThat(index.search(new SearchRequest("learning rate", Set.of(VIDEO_B), Set.of(), null, null, 10)))
          .extracting(h -> h.evidence().videoId()).containsOnly(VIDEO_B);
      assertThat(index.search(new SearchRequest("learning rate", Set.of(), Set.of(Modality.OCR), null, null, 10)))
          .extracting(h -> h.evidence().modality()).containsOnly(Modality.OCR);
      List<SearchHit> late = index.search(new SearchRequest("learning rate", Set.of(VIDEO_A), Set.of(), 44_000L, 100_000L, 10));
      assertThat(late).allSatisfy(h -> assertThat(h.evidence().endMillis()).isGreaterThanOrEqualTo(44_000L));
    }
  }

  @Test
  void mergesAdjacentSegmentsOfOneModalityIntoOneSpan() {
    try (EvidenceIndex index = LuceneEvidenceIndex.open(tmp.resolve("index"), embedder, settings())) {
      index.replaceVideo(manifest(VIDEO_A, "fp1"), List.of(
          seg(Modality.ASR, 10, 15, "the learning rate is the step size"),
          seg(Modality.ASR, 16, 20, "a learning rate too large diverges"),
          seg(Modality.ASR, 200, 205, "unrelated words about cooking pasta")));
      List<SearchHit> hits = index.search(new SearchRequest("learning rate", Set.of(), Set.of(Modality.ASR), null, null, 5));
      SearchHit top = hits.getFirst();
      assertThat(top.segments()).isEqualTo(2);
      assertThat(top.evidence().startMillis()).isEqualTo(10_000);
      assertThat(top.evidence().endMillis()).isEqualTo(20_000);
      assertThat(top.evidence().text()).isEqualTo("the learning rate is the step size a learning rate too large diverges");
    }
  }

  @Test
  void replaceDeleteAndContainsWorkPerVideo() {
    try (EvidenceIndex index = LuceneEvidenceIndex.open(tmp.resolve("index"), embedder, settings())) {
      index.replaceVideo(manifest(VIDEO_A, "fp1"), lecture());
      index.replaceVideo(manifest(VIDEO_B, "fp1"), List.of(seg(Modality.ASR, 1, 2, "hello")));
      assertThat(index.contains(VIDEO_A, "fp1")).isTrue();
      assertThat(index.contains(VIDEO_A, "fp2")).isFalse();
      assertThat(index.segmentCount(VIDEO_A)).isEqualTo(lecture().size());

      index.replaceVideo(manifest(VIDEO_A, "fp2"), List.of(seg(Modality.ASR, 1, 2, "only one segment now")));
      assertThat(index.segmentCount(VIDEO_A)).isEqualTo(1);
      assertThat(index.contains(VIDEO_A, "fp2")).isTrue();
      assertThat(index.search(SearchRequest.of("gradient descent", 5)))
          .noneMatch(h -> h.evidence().text().contains("gradient"));

      assertThat(index.deleteVideo(VIDEO_A)).isTrue();
      assertThat(index.deleteVideo(VIDEO_A)).isFalse();
      assertThat(index.videoIds()).containsExactly(VIDEO_B);
      assertThat(index.segmentCount(VIDEO_A)).isZero();
    }
  }

  @Test
  void reopeningKeepsCommittedVideos() {
    Path dir = tmp.resolve("index");
    try (EvidenceIndex index = LuceneEvidenceIndex.open(dir, embedder, settings())) {
      index.replaceVideo(manifest(VIDEO_A, "fp1"), lecture());
    }
    try (EvidenceIndex index = LuceneEvidenceIndex.open(dir, embedder, settings())) {
      assertThat(index.videoIds()).containsExactly(VIDEO_A);
      assertThat(index.contains(VIDEO_A, "fp1")).isTrue();
    }
  }

  @Test
  void aSecondOpenInstanceSeesNewCommitsWithoutReopening() {
    Path dir = tmp.resolve("index");
    try (EvidenceIndex writer = LuceneEvidenceIndex.open(dir, embedder, settings());
        EvidenceIndex reader = LuceneEvidenceIndex.open(dir, embedder, settings())) {
      assertThat(reader.videoIds()).isEmpty();
      writer.replaceVideo(manifest(VIDEO_A, "fp1"), lecture());
      reader.refresh();
      assertThat(reader.videoIds()).containsExactly(VIDEO_A);
      assertThat(reader.findVideo("00000000000000aa.mp4")).contains(VIDEO_A);
      assertThat(reader.findVideo(VIDEO_A)).contains(VIDEO_A);
      assertThat(reader.findVideo("other.mp4")).isEmpty();
    }
  }
}
