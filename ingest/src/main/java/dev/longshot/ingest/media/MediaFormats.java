package dev.longshot.ingest.media;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one list of media file extensions and container signatures: what batch indexing walks, what the web
 * accepts for upload, and how a file FFmpeg cannot open is told apart as "corrupt" from "not media". These are
 * cheap checks on names and first bytes; FFmpeg still decides what it can decode. Stateless and thread-safe.
 */
public final class MediaFormats {
  /** Video container extensions (lower case, no dot). */
  public static final Set<String> VIDEO_EXTENSIONS = Set.of(
      "mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "mts", "m2ts", "flv", "ogv", "ogg", "wmv", "3gp");
  /** Audio-only extensions (lower case, no dot); batch indexing ingests them for their speech. */
  public static final Set<String> AUDIO_EXTENSIONS = Set.of("mp3", "m4a", "wav", "flac", "ogg", "opus");

  /** Bytes of a file's head that {@link #sniff} looks at (an MPEG-TS packet is 188 bytes; the next one starts with 0x47). */
  public static final int HEAD_BYTES = 512;

  private static final Set<String> ISO_BMFF_BOXES = Set.of("ftyp", "moov", "mdat", "free", "wide", "skip", "pnot");
  private static final Set<String> TRANSPORT_STREAM_EXTENSIONS = Set.of("ts", "mts", "m2ts");

  private MediaFormats() {}

  /** A container a file's first bytes announce. */
  public enum Container {
    MP4("an MP4/QuickTime file", true),
    MATROSKA("a Matroska/WebM file", true),
    AVI("a RIFF (AVI/WAV) file", true),
    RIFF_AUDIO("a RIFF (AVI/WAV) file", false),
    OGG("an Ogg file", true),
    FLAC("a FLAC file", false),
    FLV("an FLV file", true),
    MP3("an MP3 file", false),
    MPEG_PROGRAM_STREAM("an MPEG program stream", true),
    ASF("an ASF/WMV file", true),
    MPEG_TRANSPORT_STREAM("an MPEG transport stream", true);

    private final String description;
    private final boolean canHoldVideo;

    Container(String description, boolean canHoldVideo) {
      this.description = description;
      this.canHoldVideo = canHoldVideo;
    }

    /** For messages: "an MP4/QuickTime file". */
    public String description() {
      return description;
    }

    /** Whether this container carries video streams at all (FLAC, MP3 and WAV never do). */
    public boolean canHoldVideo() {
      return canHoldVideo;
    }
  }

  /** The lower-case extension of {@code fileName}, or an empty string. */
  public static String extension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Whether {@code fileName} has a video extension. */
  public static boolean isVideoName(String fileName) {
    return VIDEO_EXTENSIONS.contains(extension(fileName));
  }

  /** Whether {@code fileName} has a video or audio extension (what batch indexing ingests). */
  public static boolean isMediaName(String fileName) {
    String ext = extension(fileName);
    return VIDEO_EXTENSIONS.contains(ext) || AUDIO_EXTENSIONS.contains(ext);
  }

  /** The video extensions, sorted, for messages. */
  public static Set<String> sortedVideoExtensions() {
    return new TreeSet<>(VIDEO_EXTENSIONS);
  }

  /**
   * The container {@code head} (a file's first bytes, up to {@link #HEAD_BYTES}) starts like, or empty. An MPEG
   * transport stream counts when its second packet also starts with the sync byte, or, when the head is shorter
   * than two packets, when {@code fileName} has a transport stream extension.
   */
  public static Optional<Container> sniff(byte[] head, int length, String fileName) {
    if (length < 4) {
      return Optional.empty();
    }
    String box = length >= 8 ? new String(head, 4, 4, StandardCharsets.ISO_8859_1) : "";
    if (ISO_BMFF_BOXES.contains(box)) {
      return Optional.of(Container.MP4);
    }
    int b0 = head[0] & 0xff;
    int b1 = head[1] & 0xff;
    int b2 = head[2] & 0xff;
    int b3 = head[3] & 0xff;
    String first4 = new String(head, 0, 4, StandardCharsets.ISO_8859_1);
    if (b0 == 0x1a && b1 == 0x45 && b2 == 0xdf && b3 == 0xa3) {
      return Optional.of(Container.MATROSKA);
    }
    if (first4.equals("RIFF")) {
      boolean avi = length >= 12 && new String(head, 8, 4, StandardCharsets.ISO_8859_1).equals("AVI ");
      return Optional.of(avi ? Container.AVI : Container.RIFF_AUDIO);
    }
    if (first4.equals("OggS")) {
      return Optional.of(Container.OGG);
    }
    if (first4.equals("fLaC")) {
      return Optional.of(Container.FLAC);
    }
    if (first4.startsWith("FLV")) {
      return Optional.of(Container.FLV);
    }
    if (first4.startsWith("ID3")) {
      return Optional.of(Container.MP3);
    }
    if (b0 == 0 && b1 == 0 && b2 == 1 && (b3 == 0xba || b3 == 0xb3)) {
      return Optional.of(Container.MPEG_PROGRAM_STREAM);
    }
    if (b0 == 0x30 && b1 == 0x26 && b2 == 0xb2 && b3 == 0x75) {
      return Optional.of(Container.ASF);
    }
    if (b0 == 0x47 && (length > 188 ? head[188] == 0x47 : TRANSPORT_STREAM_EXTENSIONS.contains(extension(fileName)))) {
      return Optional.of(Container.MPEG_TRANSPORT_STREAM);
    }
    return Optional.empty();
  }
}
