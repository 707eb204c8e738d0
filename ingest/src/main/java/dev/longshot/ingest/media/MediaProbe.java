package dev.longshot.ingest.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;

import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;

/**
 * Checks a file before any decoding and turns every way it can be unusable into an {@link IngestException} with
 * a specific message: missing, unreadable, empty, not media at all, truncated or damaged, a codec FFmpeg cannot
 * decode, or frames over {@code ingest.max-frame-pixels}. Reads only the container header (FFmpeg's stream
 * probing reads at most a few MiB), so it is fast for a 3-hour file. Thread-safe.
 */
public final class MediaProbe {
  /** Demuxers that open files which are not audio or video: text shown as ANSI art, and still images. */
  private static final Set<String> NOT_MEDIA_FORMATS = Set.of("tty", "image2", "gif_pipe", "bin", "ansi");

  private MediaProbe() {}

  /** Checks the path itself: exists, a readable regular file, not empty. */
  public static long checkFile(Path file) throws IngestException {
    if (!Files.exists(file)) {
      throw new IngestException(Kind.NOT_FOUND, "file not found: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new IngestException(Kind.UNREADABLE, "cannot read " + file + ": it is a directory, not a file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IngestException(Kind.UNREADABLE, "cannot read " + file + ": not a regular file");
    }
    long size;
    try (InputStream in = Files.newInputStream(file)) {
      size = Files.size(file);
      in.read();
    } catch (AccessDeniedException e) {
      throw new IngestException(Kind.UNREADABLE, "cannot read " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new IngestException(Kind.UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
    }
    if (size == 0) {
      throw new IngestException(Kind.EMPTY, "file is empty: " + file);
    }
    return size;
  }

  /**
   * Probes {@code file}.
   *
   * @param maxFramePixels frames with more pixels than this are rejected ({@link Kind#TOO_LARGE})
   */
  public static MediaInfo probe(Path file, long maxFramePixels) throws IngestException {
    checkFile(file);
    FfmpegNatives.load();
    AVFormatContext oc = new AVFormatContext(null);
    int ret = avformat_open_input(oc, file.toAbsolutePath().toString(), null, null);
    if (ret < 0) {
      throw unopenable(file, FfmpegNatives.error(ret));
    }
    try {
      ret = avformat_find_stream_info(oc, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
      if (ret < 0) {
        throw new IngestException(Kind.CORRUPT, "truncated or corrupt file: " + file + " (cannot read its streams: "
            + FfmpegNatives.error(ret) + ")");
      }
      String format = requireMediaFormat(file, oc);
      Streams streams = Streams.of(oc);
      streams.requireDecodable(file);
      VideoFacts v = streams.video() == null ? VideoFacts.NONE : VideoFacts.of(file, streams.video(), maxFramePixels);
      long duration = oc.duration() == AV_NOPTS_VALUE || oc.duration() < 0 ? 0 : oc.duration() * 1000 / AV_TIME_BASE;
      long start = oc.start_time() == AV_NOPTS_VALUE ? 0 : oc.start_time();
      AVStream audio = streams.audio();
      return new MediaInfo(format, duration, start, streams.video() != null, v.width(), v.height(), v.rotation(),
          v.fps(), v.codec(), audio != null, audio == null ? "" : codecName(audio.codecpar()), streams.subtitles(),
          streamMillis(streams.video()), streamMillis(audio), maxKeyframeIntervalMillis(streams.video()));
    } finally {
      avformat_close_input(oc);
    }
  }

  /** The demuxer's name; text files and still images, which FFmpeg also opens, are not media. */
  private static String requireMediaFormat(Path file, AVFormatContext oc) throws IngestException {
    String format = oc.iformat() == null ? "" : oc.iformat().name().getString();
    if (NOT_MEDIA_FORMATS.contains(format) || format.endsWith("_pipe")) {
      String what = format.equals("tty") || format.equals("bin") || format.equals("ansi") ? "a text file" : "a still image";
      throw new IngestException(Kind.NOT_MEDIA, "not a video: " + file + " (" + what + ", no audio or video stream)");
    }
    return format;
  }

  /**
   * The streams ingest uses: the first decodable video stream (cover pictures do not count) and audio stream, the
   * first stream this FFmpeg cannot decode ({@code "video codec X"}), and the number of subtitle streams.
   */
  private record Streams(AVStream video, AVStream audio, String unsupported, int subtitles) {
    static Streams of(AVFormatContext oc) {
      AVStream video = null;
      AVStream audio = null;
      String unsupported = null;
      int subtitles = 0;
      for (int i = 0; i < oc.nb_streams(); i++) {
        AVStream st = oc.streams(i);
        AVCodecParameters par = st.codecpar();
        int type = par.codec_type();
        if (type == AVMEDIA_TYPE_SUBTITLE) {
          subtitles++;
        } else if (type == AVMEDIA_TYPE_VIDEO && (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
          if (!decodable(par)) {
            unsupported = unsupported == null ? "video codec " + codecName(par) : unsupported;
          } else if (video == null) {
            video = st;
          }
        } else if (type == AVMEDIA_TYPE_AUDIO) {
          if (!decodable(par)) {
            unsupported = unsupported == null ? "audio codec " + codecName(par) : unsupported;
          } else if (audio == null) {
            audio = st;
          }
        }
      }
      return new Streams(video, audio, unsupported, subtitles);
    }

    /** Fails when nothing can be decoded, or the only video stream cannot. */
    void requireDecodable(Path file) throws IngestException {
      if (video == null && audio == null) {
        if (unsupported != null) {
          throw new IngestException(Kind.UNSUPPORTED_CODEC, "unsupported codec: " + file + " uses " + unsupported
              + ", which this FFmpeg build cannot decode");
        }
        throw new IngestException(Kind.NOT_MEDIA, "not a video: " + file + " (no audio or video stream"
            + (subtitles > 0 ? ", only subtitles" : "") + ")");
      }
      if (unsupported != null && video == null && unsupported.startsWith("video")) {
        throw new IngestException(Kind.UNSUPPORTED_CODEC, "unsupported codec: " + file + " uses " + unsupported
            + ", which this FFmpeg build cannot decode");
      }
    }
  }

  /** Frame size, rotation (degrees), frame rate (0 when unknown) and codec of the video stream. */
  private record VideoFacts(int width, int height, int rotation, double fps, String codec) {
    static final VideoFacts NONE = new VideoFacts(0, 0, 0, 0, "");

    /** Reads them, rejecting a stream without a frame size or with frames over {@code maxFramePixels}. */
    static VideoFacts of(Path file, AVStream video, long maxFramePixels) throws IngestException {
      AVCodecParameters par = video.codecpar();
      int width = par.width();
      int height = par.height();
      if (width <= 0 || height <= 0) {
        throw new IngestException(Kind.CORRUPT, "truncated or corrupt file: " + file + " (the video stream has no frame size)");
      }
      if ((long) width * height > maxFramePixels) {
        throw new IngestException(Kind.TOO_LARGE, "frame size " + width + "x" + height + " of " + file
            + " exceeds ingest.max-frame-pixels (" + maxFramePixels + " pixels)");
      }
      double fps = rate(video.avg_frame_rate());
      if (fps <= 0 || fps > 1000) {
        fps = rate(video.r_frame_rate());
      }
      if (fps > 1000) {
        fps = 0;
      }
      return new VideoFacts(width, height, MediaProbe.rotation(par), fps, codecName(par));
    }
  }

  private static boolean decodable(AVCodecParameters par) {
    return par.codec_id() != AV_CODEC_ID_NONE && avcodec_find_decoder(par.codec_id()) != null;
  }

  private static String codecName(AVCodecParameters par) {
    if (par.codec_id() != AV_CODEC_ID_NONE) {
      return avcodec_get_name(par.codec_id()).getString();
    }
    int tag = par.codec_tag();
    if (tag == 0) {
      return "(unknown)";
    }
    byte[] b = {(byte) tag, (byte) (tag >> 8), (byte) (tag >> 16), (byte) (tag >> 24)};
    return "\"" + new String(b, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?") + "\" (unknown)";
  }

  /** Clockwise degrees to rotate decoded frames for display, from the stream's display matrix. */
  private static int rotation(AVCodecParameters par) {
    if (par.nb_coded_side_data() <= 0 || par.coded_side_data() == null) {
      return 0;
    }
    AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
    if (sd == null || sd.isNull() || sd.data() == null || sd.size() < 36) {
      return 0;
    }
    double ccw = av_display_rotation_get(new IntPointer(sd.data()));
    if (Double.isNaN(ccw)) {
      return 0;
    }
    int cw = (int) Math.round(-ccw / 90.0) * 90;
    return ((cw % 360) + 360) % 360;
  }

  /** {@code AVINDEX_KEYFRAME} of FFmpeg's {@code AVIndexEntry.flags}. */
  private static final int INDEX_KEYFRAME = 1;

  /**
   * The longest stretch of {@code st} without a keyframe, in milliseconds, from the index the demuxer read when the
   * file was opened (MP4 and MOV list every frame with its keyframe flag; an index listing keyframes only, such as
   * Matroska's cues, can only make stretches look longer): from the first frame to the first keyframe, between
   * consecutive keyframes, and from the last keyframe to the end of the stream. 0 when there is no such index or
   * the stream's duration is unknown.
   */
  static long maxKeyframeIntervalMillis(AVStream st) {
    if (st == null || st.duration() == AV_NOPTS_VALUE || st.duration() <= 0 || st.time_base().den() == 0) {
      return 0;
    }
    int n = avformat_index_get_entries_count(st);
    if (n < 1) {
      return 0;
    }
    long first = avformat_index_get_entry(st, 0).timestamp();
    long end = first + st.duration();
    long lastKey = first;
    long longest = 0;
    boolean anyKey = false;
    for (int i = 0; i < n; i++) {
      AVIndexEntry e = avformat_index_get_entry(st, i);
      if (e == null || e.isNull()) {
        return 0;
      }
      end = Math.max(end, e.timestamp());
      if ((e.flags() & INDEX_KEYFRAME) != 0) {
        longest = Math.max(longest, e.timestamp() - lastKey);
        lastKey = e.timestamp();
        anyKey = true;
      }
    }
    if (!anyKey) {
      return 0;
    }
    longest = Math.max(longest, end - lastKey);
    return longest * 1000L * st.time_base().num() / st.time_base().den();
  }

  private static long streamMillis(AVStream st) {
    if (st == null || st.duration() == AV_NOPTS_VALUE || st.duration() <= 0 || st.time_base().den() == 0) {
      return 0;
    }
    return st.duration() * 1000L * st.time_base().num() / st.time_base().den();
  }

  private static double rate(AVRational r) {
    return r == null || r.den() == 0 ? 0 : (double) r.num() / r.den();
  }

  private static IngestException unopenable(Path file, String ffmpegError) {
    String magic = containerMagic(file);
    if (magic != null) {
      return new IngestException(Kind.CORRUPT, "truncated or corrupt file: " + file + " (looks like " + magic
          + " but FFmpeg cannot open it: " + ffmpegError + ")");
    }
    return new IngestException(Kind.NOT_MEDIA, "not a video: " + file + " (unrecognised format, no audio or video stream)");
  }

  /** The container the first bytes announce, or null when they look like no media container. */
  static String containerMagic(Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(MediaFormats.HEAD_BYTES);
    } catch (IOException e) {
      return null;
    }
    return MediaFormats.sniff(head, head.length, file.getFileName().toString())
        .map(MediaFormats.Container::description).orElse(null);
  }
}
