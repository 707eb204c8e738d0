package dev.longshot.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.ingest.media.MediaFormats.Container;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MediaFormatsTest {
  private static Optional<Container> sniff(String head, String name) {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    return MediaFormats.sniff(b, b.length, name);
  }

  @Test
  void containersByTheirFirstBytes() {
    assertThat(sniff("\0\0\0\u0018ftypisom", "a.mp4")).contains(Container.MP4);
    assertThat(sniff("\u001a\u0045\u00df\u00a3", "a.mkv")).contains(Container.MATROSKA);
    assertThat(sniff("RIFF\0\0\0\0AVI LIST", "a.avi")).contains(Container.AVI);
    assertThat(sniff("RIFF\0\0\0\0WAVEfmt ", "a.wav")).contains(Container.RIFF_AUDIO);
    assertThat(sniff("ID3\u0004", "a.mp3").map(Container::canHoldVideo)).contains(false);
    assertThat(sniff("\u0047\0\0\0", "a.ts")).contains(Container.MPEG_TRANSPORT_STREAM);
    assertThat(sniff("\u0047\0\0\0", "a.mp4")).isEmpty();
    assertThat(sniff("<html>", "a.mp4")).isEmpty();
    assertThat(sniff("ab", "a.mp4")).isEmpty();
  }

  @Test
  void namesByExtension() {
    assertThat(MediaFormats.isVideoName("Talk.MKV")).isTrue();
    assertThat(MediaFormats.isVideoName("talk.mp3")).isFalse();
    assertThat(MediaFormats.isMediaName("talk.mp3")).isTrue();
    assertThat(MediaFormats.isMediaName("notes.txt")).isFalse();
    assertThat(MediaFormats.extension("noext")).isEmpty();
  }
}
