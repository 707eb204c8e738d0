package dev.longshot.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {
  @TempDir Path tmp;

  private static final String ID = "0123456789abcdef";

  private static VideoManifest manifest(String fingerprint) {
    return new VideoManifest(VideoManifest.FORMAT_VERSION, ID, "talk.mp4", "/v/talk.mp4", 10, 60_000, 640, 360, 25,
        true, "asr:pocketsphinx", fingerprint, Map.of(Modality.OCR, 1), 1, Map.of("ocr", 5L), Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Issue 13: the writer lock was one static map for every data directory in the process. */
  @Test
  void writerLocksBelongToTheirStore() throws Exception {
    RecordStore a = new RecordStore(tmp.resolve("a"));
    RecordStore b = new RecordStore(tmp.resolve("b"));
    assertThat(a.writerLock("0123456789abcdef")).isSameAs(a.writerLock("0123456789abcdef"))
        .isNotSameAs(b.writerLock("0123456789abcdef"));
    a.writerLock("0123456789abcdef").lock();
    try {
      Thread other = new Thread(() -> {
        boolean got = b.writerLock("0123456789abcdef").tryLock();
        if (got) {
          b.writerLock("0123456789abcdef").unlock();
        }
        otherGotIt = got;
      });
      other.start();
      other.join();
      assertThat(otherGotIt).isTrue();
    } finally {
      a.writerLock("0123456789abcdef").unlock();
    }
  }

  private volatile boolean otherGotIt;

  @Test
  void committedRecordRoundTrips() throws IOException {
    RecordStore store = new RecordStore(tmp);
    try (RecordStore.Writer w = store.begin(ID)) {
      Files.write(w.keyframesDir().resolve(RecordStore.keyframeName(1500)), new byte[] {1});
      Segment ocr = new Segment(Modality.OCR, 1500, 9000, "Budget <b>2026</b> \"quoted\"",
          List.of(new BoundingBox(0.1, 0.1, 0.5, 0.1, "Budget", 0.9)), RecordStore.keyframeName(1500), 0.91, List.of());
      Segment asr = new Segment(Modality.ASR, 0, 1200, "hello world", List.of(), null, Double.NaN,
          List.of(new TimedWord("hello", 0, 500, 0.8), new TimedWord("world", 600, 1200, 0.9)));
      w.commit(List.of(ocr, asr), manifest("f1"));
    }
    assertThat(store.manifest(ID)).get().extracting(VideoManifest::settingsFingerprint).isEqualTo("f1");
    List<Segment> segs = store.segments(ID);
    assertThat(segs).extracting(Segment::modality).containsExactly(Modality.ASR, Modality.OCR);
    assertThat(segs.get(0).words()).hasSize(2);
    assertThat(Double.isNaN(segs.get(0).confidence())).isTrue();
    assertThat(segs.get(1).text()).isEqualTo("Budget <b>2026</b> \"quoted\"");
    assertThat(store.keyframe(ID, "000001500.jpg")).isPresent();
    assertThat(store.list()).hasSize(1);
  }

  @Test
  void abandonedWriteLeavesNothingAndReplaceIsWhole() {
    RecordStore store = new RecordStore(tmp);
    try (RecordStore.Writer w = store.begin(ID)) {
      // closed without commit, as after an exception in ingest
    }
    assertThat(store.manifest(ID)).isEmpty();
    assertThat(store.list()).isEmpty();
    try (RecordStore.Writer w = store.begin(ID)) {
      w.commit(List.of(Segment.of(Modality.ASR, 0, 1, "old")), manifest("f1"));
    }
    try (RecordStore.Writer w = store.begin(ID)) {
      w.commit(List.of(Segment.of(Modality.ASR, 0, 1, "new")), manifest("f2"));
    }
    assertThat(store.segments(ID)).extracting(Segment::text).containsExactly("new");
    assertThat(store.delete(ID)).isTrue();
    assertThat(store.manifest(ID)).isEmpty();
  }

  @Test
  void crashLeftoversAreRemovedOnOpen() throws IOException {
    Path staging = tmp.resolve(".staging").resolve(ID + "-crashed");
    Files.createDirectories(staging);
    Files.writeString(staging.resolve(RecordStore.SEGMENTS), "{}");
    new RecordStore(tmp);
    assertThat(staging).doesNotExist();
  }

  /**
   * Issue 12: a kill between a replace's two renames (old record aside, new one in) used to leave no record at
   * all, because opening the store deleted the set-aside copy. The complete old copy now goes back into place.
   */
  @Test
  void aReplaceCutOffBetweenItsRenamesKeepsTheCompleteOldRecord() throws IOException {
    RecordStore store = new RecordStore(tmp);
    try (RecordStore.Writer w = store.begin(ID)) {
      Files.write(w.keyframesDir().resolve(RecordStore.keyframeName(0)), new byte[] {1});
      w.commit(List.of(Segment.of(Modality.ASR, 0, 1, "old")), manifest("f1"));
    }
    // the state right after the first rename of a replace: the record aside, the new one still staged
    Path aside = tmp.resolve(".staging").resolve(ID + "-replaced-0b1c");
    Files.move(tmp.resolve(ID), aside);
    Path staged = Files.createDirectories(tmp.resolve(".staging").resolve(ID + "-5e6f").resolve(RecordStore.KEYFRAMES));
    RecordStore reopened = new RecordStore(tmp);
    assertThat(reopened.segments(ID)).extracting(Segment::text).containsExactly("old");
    assertThat(reopened.keyframe(ID, RecordStore.keyframeName(0))).isPresent();
    assertThat(aside).doesNotExist();
    assertThat(staged.getParent()).doesNotExist(); // the unfinished new record is a leftover like any other
  }

  @Test
  void openingAnotherStoreNeverRemovesALiveWritersStaging() throws IOException {
    RecordStore server = new RecordStore(tmp);
    try (RecordStore.Writer w = server.begin(ID)) {
      Files.write(w.keyframesDir().resolve(RecordStore.keyframeName(0)), new byte[] {1});
      new RecordStore(tmp); // e.g. a CLI command opening the same data directory mid-ingest
      assertThat(w.keyframesDir()).isDirectory();
      w.commit(List.of(Segment.of(Modality.ASR, 0, 1, "kept")), manifest("f1"));
    }
    assertThat(server.keyframe(ID, RecordStore.keyframeName(0))).isPresent();
    try (java.util.stream.Stream<Path> staging = Files.list(tmp.resolve(".staging"))) {
      assertThat(staging).isEmpty();
    }
  }

  @Test
  void keyframeLookupRejectsPathTricks() {
    RecordStore store = new RecordStore(tmp);
    assertThat(store.keyframe(ID, "../../etc/passwd")).isEmpty();
    assertThat(store.keyframe("../x", "a.jpg")).isEmpty();
    assertThatThrownBy(() -> store.begin("../../evil")).hasMessageContaining("Not a video id");
  }

  @Test
  void corruptSegmentLineNamesFileAndLine() throws IOException {
    RecordStore store = new RecordStore(tmp);
    try (RecordStore.Writer w = store.begin(ID)) {
      w.commit(List.of(Segment.of(Modality.ASR, 0, 1, "ok")), manifest("f1"));
    }
    Files.writeString(tmp.resolve(ID).resolve(RecordStore.SEGMENTS), "{\"modality\":\"asr\"}\n{oops\n");
    assertThatThrownBy(() -> store.segments(ID)).isInstanceOf(RecordFormatException.class).hasMessageContaining(":2");
  }

  @Test
  void videoIdIsContentBasedNotPathBased() throws IOException {
    Path a = tmp.resolve("a.mp4");
    Path b = tmp.resolve("moved/b.mp4");
    Files.createDirectories(b.getParent());
    byte[] content = new byte[13 << 20];
    new java.util.Random(7).nextBytes(content);
    Files.write(a, content);
    Files.write(b, content);
    assertThat(VideoId.of(a)).isEqualTo(VideoId.of(b)).matches("[0-9a-f]{16}");
    content[content.length / 2] ^= 1;
    Files.write(b, content);
    assertThat(VideoId.of(b)).isNotEqualTo(VideoId.of(a));
  }
}
