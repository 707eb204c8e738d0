package dev.longshot.ingest.subtitle;

import dev.longshot.config.OneLine;
import dev.longshot.timeline.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a video's subtitles, best first: an embedded text subtitle stream, then a sidecar {@code .srt}, then a
 * sidecar {@code .vtt} with the same base name in the same folder ({@code talk.mp4} → {@code talk.srt}, also
 * {@code talk.en.srt}-style names are not guessed). A track with no usable cue counts as absent. Thread-safe.
 */
public final class Subtitles {
  /** Sidecar subtitle extensions, best first (lower case, no dot); each is also found in upper case. */
  public static final List<String> SIDECAR_EXTENSIONS = List.of("srt", "vtt");
  /** The largest sidecar file read. */
  static final long MAX_SIDECAR_BYTES = 64L << 20;
  /**
   * The most cues read from one file or stream: 24 hours (ingest.max-duration's default) at more than two cues a
   * second; a feature film has about 1500. Each cue becomes a segment held in memory and indexed.
   */
  static final int MAX_CUES = 200_000;

  private Subtitles() {}

  /** The spellings of a sidecar extension that are looked for, in order: {@code srt}, {@code SRT}. */
  public static List<String> spellings(String ext) {
    return List.of(ext, ext.toUpperCase(Locale.ROOT));
  }

  /**
   * The video's subtitles, or empty when it has none.
   *
   * @throws IllegalArgumentException when {@code video} is not a readable file, or a sidecar file is larger than
   *     {@link #MAX_SIDECAR_BYTES} or cannot be parsed (the message names the file)
   * @throws UncheckedIOException when a sidecar file exists but cannot be read
   */
  public static Optional<SubtitleTrack> find(Path video) {
    if (!Files.isRegularFile(video) || !Files.isReadable(video)) {
      throw new IllegalArgumentException("Not a readable video file: " + video.toAbsolutePath());
    }
    List<Segment> embedded = EmbeddedSubtitleReader.read(video);
    if (!embedded.isEmpty()) {
      return Optional.of(new SubtitleTrack(SubtitleTrack.SUBTITLE_STREAM, embedded));
    }
    for (String ext : SIDECAR_EXTENSIONS) {
      Optional<Path> sidecar = sidecar(video, ext);
      if (sidecar.isPresent()) {
        List<Segment> cues = SubtitleParser.parse(readText(sidecar.get()), sidecar.get().toString());
        if (!cues.isEmpty()) {
          return Optional.of(new SubtitleTrack(ext.equals("srt") ? SubtitleTrack.SIDECAR_SRT : SubtitleTrack.SIDECAR_VTT, cues));
        }
      }
    }
    return Optional.empty();
  }

  /** Throws when a track that already holds {@code cues} cues would get one more than {@link #MAX_CUES}. */
  static void requireRoomForCue(int cues, String origin) {
    if (cues >= MAX_CUES) {
      throw new IllegalArgumentException(OneLine.of(origin + " has more than " + MAX_CUES
          + " cues; at most " + MAX_CUES + " are read (a feature film has about 1500)"));
    }
  }

  /** The sidecar file {@code <base>.<ext>} next to {@code video}, matching the extension case-insensitively. */
  static Optional<Path> sidecar(Path video, String ext) {
    String name = video.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    Path dir = video.toAbsolutePath().getParent();
    for (String spelling : spellings(ext)) {
      Path p = dir.resolve(base + "." + spelling);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * UTF-8 when valid, else Windows-1252 (the usual encoding of old .srt files); a file over
   * {@link #MAX_SIDECAR_BYTES} is refused before it is read.
   */
  private static String readText(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_SIDECAR_BYTES) {
        throw new IllegalArgumentException("Subtitle file " + file + " is " + size + " bytes; at most "
            + MAX_SIDECAR_BYTES + " are read (a feature film's .srt is about 100 KB)");
      }
      byte[] bytes = Files.readAllBytes(file);
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        return new String(bytes, java.nio.charset.Charset.forName("windows-1252"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read subtitle file " + file, e);
    }
  }
}
