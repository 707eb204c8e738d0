package dev.longshot.retrieval.index;

import static dev.longshot.retrieval.Fixtures.VIDEO_A;
import static dev.longshot.retrieval.Fixtures.lecture;
import static dev.longshot.retrieval.Fixtures.manifest;
import static dev.longshot.retrieval.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.retrieval.HashingTextEmbedder;
import dev.longshot.retrieval.search.SearchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad index directories and bad queries give clear errors and change nothing on disk. */
class IndexFailuresTest {
  @TempDir Path tmp;
  private final HashingTextEmbedder embedder = new HashingTextEmbedder(256);

  @Test
  void aCorruptIndexIsReportedAndLeftAlone() throws IOException {
    Path dir = tmp.resolve("index");
    try (EvidenceIndex index = LuceneEvidenceIndex.open(dir, embedder, settings())) {
      index.replaceVideo(manifest(VIDEO_A, "fp"), lecture());
    }
    Path segmentsFile;
    try (Stream<Path> files = Files.list(dir)) {
      segmentsFile = files.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segmentsFile);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(segmentsFile, bytes);
    Map<String, byte[]> before = snapshot(dir);

    assertThatThrownBy(() -> LuceneEvidenceIndex.open(dir, embedder, settings()))
        .isInstanceOf(IndexException.class).hasMessageContaining(dir.toString()).hasMessageContaining("corrupt");
    assertThat(snapshot(dir)).usingRecursiveComparison().isEqualTo(before);
  }

  @Test
  void aDirectoryWithOtherFilesIsNotTurnedIntoAnIndex() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(dir.resolve("holiday.txt"), "precious");
    assertThatThrownBy(() -> LuceneEvidenceIndex.open(dir, embedder, settings()))
        .isInstanceOf(IndexException.class).hasMessageContaining("not a Longshot index").hasMessageContaining(dir.toString());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(dir.resolve("holiday.txt"));
    }
  }

  @Test
  void aFileInsteadOfADirectoryAndAMissingIndexAreClearErrors() throws IOException {
    Path file = Files.writeString(tmp.resolve("index"), "x");
    assertThatThrownBy(() -> LuceneEvidenceIndex.open(file, embedder, settings()))
        .isInstanceOf(IndexException.class).hasMessageContaining("is a file");
    Path missing = tmp.resolve("nowhere");
    assertThatThrownBy(() -> LuceneEvidenceIndex.openExisting(missing, embedder, settings()))
        .isInstanceOf(IndexException.class).hasMessageContaining("No index at " + missing);
    assertThat(missing).doesNotExist();
  }

  @Test
  void anIndexBuiltWithAnotherEmbedderIsRefused() {
    Path dir = tmp.resolve("index");
    LuceneEvidenceIndex.open(dir, embedder, settings()).close();
    assertThatThrownBy(() -> LuceneEvidenceIndex.open(dir, new HashingTextEmbedder(128, "other-model"), settings()))
        .isInstanceOf(IndexException.class).hasMessageContaining("hashing-stand-in (256-d)")
        .hasMessageContaining("other-model (128-d)");
  }

  @Test
  void aLockedIndexFailsWritesClearlyButStillAnswersSearches() throws IOException {
    Path dir = tmp.resolve("index");
    try (EvidenceIndex index = LuceneEvidenceIndex.open(dir, embedder, settings(), 300)) {
      index.replaceVideo(manifest(VIDEO_A, "fp"), lecture());
      try (Directory d = FSDirectory.open(dir); IndexWriter other = new IndexWriter(d, new IndexWriterConfig())) {
        assertThatThrownBy(() -> index.replaceVideo(manifest(VIDEO_A, "fp2"), lecture()))
            .isInstanceOf(IndexLockedException.class).hasMessageContaining("locked").hasMessageContaining(dir.toString());
        assertThat(index.search(SearchRequest.of("learning rate", 3))).isNotEmpty();
        assertThat(index.contains(VIDEO_A, "fp")).isTrue();
        other.rollback();
      }
    }
  }

  @Test
  void queriesWithLuceneSyntaxOrHugeLengthNeverFail() {
    try (EvidenceIndex index = LuceneEvidenceIndex.open(tmp.resolve("index"), embedder, settings())) {
      index.replaceVideo(manifest(VIDEO_A, "fp"), lecture());
      for (String q : new String[] {"", "   ", "AND OR NOT", "\"unclosed phrase", "*"}) {
        assertThat(index.search(SearchRequest.of(q, 5))).as(q).hasSizeLessThanOrEqualTo(5);
      }
      // the words of a query with Lucene syntax are still searched as words (issue 13: this only checked not-null)
      assertThat(index.search(SearchRequest.of("learning rate\" AND (title:* OR ~2^3) [a TO z} \\ / ! ?", 5)))
          .isNotEmpty().first().satisfies(h -> assertThat(h.evidence().text()).containsIgnoringCase("learning rate"));
      assertThat(index.search(SearchRequest.of("learning-rate:0.01 && || +momentum -adam", 5)))
          .isNotEmpty().hasSizeLessThanOrEqualTo(5)
          .anySatisfy(h -> assertThat(h.evidence().text()).containsIgnoringCase("momentum"));
      String huge = String.join(" ", IntStream.range(0, 2000).mapToObj(i -> "word" + i).toList());
      assertThat(index.search(SearchRequest.of("learning rate " + "x".repeat(9000) + " momentum", 5))).isNotEmpty();
      assertThat(index.search(SearchRequest.of(huge, 5))).hasSizeLessThanOrEqualTo(5);
    }
  }

  private static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
