package dev.longshot.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.web.TestVideos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VideoFilesTest {
  @Test
  void recognisesContainerSignatures() {
    assertThat(VideoFiles.looksLikeVideo(TestVideos.mp4("x"), "upload")).isTrue();
    byte[] mkv = new byte[32];
    mkv[0] = 0x1a;
    mkv[1] = 0x45;
    mkv[2] = (byte) 0xdf;
    mkv[3] = (byte) 0xa3;
    assertThat(VideoFiles.looksLikeVideo(mkv, "upload")).isTrue();
    assertThat(VideoFiles.looksLikeVideo("RIFF\0\0\0\0AVI LIST".getBytes(StandardCharsets.ISO_8859_1), "upload")).isTrue();
    assertThat(VideoFiles.looksLikeVideo("<html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8), "upload")).isFalse();
    assertThat(VideoFiles.looksLikeVideo(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13}, "upload")).isFalse();
    assertThat(VideoFiles.looksLikeVideo(new byte[3], "upload")).isFalse();
  }

  /** Issue 13: QuickTime files may open with a 'wide' or 'moov' box; the upload check knew only 'ftyp'. */
  @Test
  void quickTimeWithoutLeadingFtypIsAVideoAndWavIsNot() {
    assertThat(VideoFiles.looksLikeVideo("\0\0\0\bwide\0\0\0\0mdat".getBytes(StandardCharsets.ISO_8859_1), "clip.mov")).isTrue();
    assertThat(VideoFiles.looksLikeVideo("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1), "a.avi")).isFalse();
  }

  @Test
  void theRealSampleVideoPasses() throws Exception {
    Path sample = Path.of(System.getProperty("longshot.repo.root", "..")).resolve("sample-media/lecture.mp4");
    VideoFiles.requireVideoSignature(sample, "lecture.mp4");
    VideoFiles.requireVideoExtension("lecture.mp4");
    assertThat(Files.size(sample)).isPositive();
  }

  @Test
  void namesWithPathPartsOrControlCharactersAreRejected() {
    assertThat(VideoFiles.requireSafeName("My talk (2024).mp4")).isEqualTo("My talk (2024).mp4");
    for (String bad : new String[] {"../a.mp4", "a/b.mp4", "a\\b.mp4", "..", ".env", "a\u0000.mp4", "a\n.mp4", "C:evil.mp4", "x".repeat(201)}) {
      assertThatThrownBy(() -> VideoFiles.requireSafeName(bad)).as(bad).isInstanceOf(ApiException.class).hasMessageContaining("not allowed");
    }
    assertThatThrownBy(() -> VideoFiles.requireSafeName(" ")).hasMessageContaining("no file name");
  }

  @Test
  void errorMessagesCarryNoControlCharacters() {
    assertThatThrownBy(() -> VideoFiles.requireSafeName("a\u001b[31m.mp4")).hasMessageNotContaining("\u001b");
  }
}
