package dev.longshot.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.web.TestVideos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Issue 12, point 3: the size limit and the free-space floor, before and while the body is spooled, and start-up
 * cleaning of part files. A full disk is simulated through the free-space seam (this machine cannot mount a small
 * file system for a test); the real {@code getUsableSpace} path runs in every other upload test. A file-store lookup
 * that fails as it does where {@code /} is not a mount point (a bare chroot) must neither fail an upload nor turn the
 * free-space check off.
 */
class UploadReceiverTest {
  private static final long MIB = 1 << 20;
  @TempDir Path dir;

  private static MockHttpServletRequest request(byte[] body, boolean declareLength) {
    MockHttpServletRequest r = new MockHttpServletRequest("POST", "/api/ingest") {
      @Override
      public long getContentLengthLong() {
        return declareLength ? super.getContentLengthLong() : -1; // chunked: no length known up front
      }
    };
    r.setContentType(TestVideos.MULTIPART_TYPE);
    r.setContent(body);
    return r;
  }

  private static byte[] video(int bytes) {
    byte[] content = new byte[bytes];
    byte[] head = TestVideos.mp4("big");
    System.arraycopy(head, 0, content, 0, head.length);
    return TestVideos.multipart("file", "big.mp4", content);
  }

  private Path uploads() {
    return dir.resolve("uploads");
  }

  private long leftovers() throws IOException {
    if (!Files.exists(uploads())) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(uploads())) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void aDeclaredBodyThatWouldCrossTheFreeSpaceFloorIs507BeforeAnythingIsWritten() throws IOException {
    UploadReceiver r = new UploadReceiver(uploads(), 100 * MIB, 50 * MIB, p -> 52 * MIB);
    assertThatThrownBy(() -> r.receive(request(video((int) (3 * MIB)), true)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.INSUFFICIENT_STORAGE))
        .hasMessageContaining("server.min-free-disk");
    assertThat(leftovers()).isZero();
  }

  @Test
  void theDiskFillingUpWhileSpoolingIs507AndThePartFileIsRemoved() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    ToLongFunction<Path> filling = p -> calls.incrementAndGet() == 1 ? 1000 * MIB : 10 * MIB; // fine at first, then full
    UploadReceiver r = new UploadReceiver(uploads(), 100 * MIB, 50 * MIB, filling);
    assertThatThrownBy(() -> r.receive(request(video(UploadReceiver.CHECK_EVERY_BYTES + (int) MIB), false)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.INSUFFICIENT_STORAGE));
    assertThat(calls.get()).as("checked again during spooling").isGreaterThanOrEqualTo(2);
    assertThat(leftovers()).isZero();
  }

  @Test
  void aBodyOverTheLimitIs413BeforeReadingWhenDeclaredAndWhileReadingWhenNot() throws IOException {
    UploadReceiver r = new UploadReceiver(uploads(), 2 * MIB, 0, p -> Long.MAX_VALUE / 2);
    for (boolean declared : new boolean[] {true, false}) {
      assertThatThrownBy(() -> r.receive(request(video((int) (4 * MIB)), declared)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE))
          .hasMessageContaining("server.max-upload-bytes");
    }
    assertThat(leftovers()).isZero();
  }

  @Test
  void partFilesOfAnEarlierRunAreRemovedAtStartAndStoredUploadsAreNot() throws IOException {
    Path part = Files.write(Files.createDirectories(UploadReceiver.incomingDir(uploads())).resolve("x.part"), new byte[10]);
    Path stored = Files.write(Files.createDirectories(uploads().resolve("0123456789abcdef")).resolve("a.mp4"), new byte[10]);
    new UploadReceiver(uploads(), MIB, 0);
    assertThat(part).doesNotExist();
    assertThat(stored).exists();
  }

  @Test
  void aStoredUploadIsNeverReplaced() throws IOException {
    UploadReceiver r = new UploadReceiver(uploads(), MIB, 0, p -> Long.MAX_VALUE / 2);
    byte[] content = TestVideos.mp4("same");
    UploadReceiver.Stored first = r.receive(request(TestVideos.multipart("file", "a.mp4", content), true));
    UploadReceiver.Stored second = r.receive(request(TestVideos.multipart("file", "b.mp4", content), true));
    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.path()).isEqualTo(first.path());
    assertThat(leftovers()).isEqualTo(1);
  }

  /** Where {@code /} is not a mount point (a bare chroot, some containers) the JDK cannot name the file store. */
  private static final UploadReceiver.FileStoreLookup NO_MOUNT_POINT = p -> {
    throw new IOException("Mount point not found");
  };

  @Test
  void anUploadIsStoredWhenTheFileStoreCannotBeFoundAndTheDiskHasRoom() throws IOException {
    UploadReceiver r = new UploadReceiver(uploads(), MIB, 0, UploadReceiver.usableSpace(NO_MOUNT_POINT));
    UploadReceiver.Stored stored = r.receive(request(TestVideos.multipart("file", "a.mp4", TestVideos.mp4("chroot")), true));
    assertThat(stored.created()).isTrue();
    assertThat(stored.path()).exists();
  }

  @Test
  void aFullDiskIsStill507WhenTheFileStoreCannotBeFound() throws IOException {
    // a floor above what this disk really has free: the fallback must read the real figure, not give up the check
    UploadReceiver r = new UploadReceiver(uploads(), MIB, Long.MAX_VALUE / 4, UploadReceiver.usableSpace(NO_MOUNT_POINT));
    assertThatThrownBy(() -> r.receive(request(TestVideos.multipart("file", "a.mp4", TestVideos.mp4("full")), true)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.INSUFFICIENT_STORAGE))
        .hasMessageContaining("server.min-free-disk");
    assertThat(leftovers()).isZero();
  }
}
