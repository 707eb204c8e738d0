package dev.longshot.ingest.subtitle;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_decode_subtitle2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avsubtitle_free;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVSubtitle;
import org.bytedeco.ffmpeg.avcodec.AVSubtitleRect;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Reads the first text subtitle stream of a container (mov_text, SubRip, WebVTT, ASS/SSA, ...) with FFmpeg's
 * demuxer and subtitle decoders through the bytedeco presets. Bitmap subtitles (DVD, PGS) carry no text and are
 * treated as absent. Decoded cues arrive as ASS dialogue lines; only their text field is kept. Thread-safe (each
 * call opens its own demuxer and frees it before returning).
 */
final class EmbeddedSubtitleReader {
  /** ASS override blocks such as {@code {\i1}} and drawing tags. */
  private static final Pattern ASS_TAGS = Pattern.compile("\\{[^}]*}");
  /** An ASS dialogue line has 8 comma-separated fields before its text. */
  private static final int ASS_FIELDS_BEFORE_TEXT = 8;

  private EmbeddedSubtitleReader() {}

  /**
   * Cues of the first text subtitle stream, or an empty list when there is none.
   *
   * @throws IllegalArgumentException when FFmpeg cannot open {@code video} (the message names it and the FFmpeg
   *     error code), or the stream holds more than {@link Subtitles#MAX_CUES} cues
   */
  static List<Segment> read(Path video) {
    AVFormatContext fmt = new AVFormatContext(null);
    int rc = avformat_open_input(fmt, video.toAbsolutePath().toString(), null, null);
    if (rc < 0) {
      throw new IllegalArgumentException("FFmpeg cannot open " + video.toAbsolutePath() + " (error " + rc + ")");
    }
    try {
      avformat_find_stream_info(fmt, (PointerPointer<?>) null);
      for (int i = 0; i < fmt.nb_streams(); i++) {
        AVStream st = fmt.streams(i);
        if (st.codecpar().codec_type() == avutil.AVMEDIA_TYPE_SUBTITLE) {
          List<Segment> cues = decodeStream(fmt, st, i, video.toAbsolutePath() + " (subtitle stream " + i + ")");
          if (!cues.isEmpty()) {
            return cues;
          }
        }
      }
      return List.of();
    } finally {
      avformat_close_input(fmt);
    }
  }

  private static List<Segment> decodeStream(AVFormatContext fmt, AVStream st, int index, String origin) {
    AVCodec decoder = avcodec_find_decoder(st.codecpar().codec_id());
    if (decoder == null || decoder.isNull()) {
      return List.of();
    }
    for (int i = 0; i < fmt.nb_streams(); i++) {
      // lets the demuxer skip other streams' data where the container allows (MP4 seeks past it)
      fmt.streams(i).discard(i == index ? avcodec.AVDISCARD_DEFAULT : avcodec.AVDISCARD_ALL);
    }
    AVCodecContext ctx = avcodec_alloc_context3(decoder);
    AVPacket pkt = av_packet_alloc();
    try {
      avcodec_parameters_to_context(ctx, st.codecpar());
      ctx.pkt_timebase(st.time_base());
      if (avcodec_open2(ctx, decoder, (AVDictionary) null) < 0) {
        return List.of();
      }
      double tb = avutil.av_q2d(st.time_base());
      List<Segment> out = new ArrayList<>();
      int[] got = new int[1];
      while (av_read_frame(fmt, pkt) >= 0) {
        if (pkt.stream_index() == index) {
          AVSubtitle sub = new AVSubtitle();
          if (avcodec_decode_subtitle2(ctx, sub, got, pkt) >= 0 && got[0] != 0) {
            try {
              Subtitles.requireRoomForCue(out.size(), origin);
              addCue(out, sub, pkt, tb);
            } finally {
              avsubtitle_free(sub);
            }
          }
        }
        av_packet_unref(pkt);
      }
      out.sort(Comparator.comparingLong(Segment::startMillis));
      return out;
    } finally {
      av_packet_free(pkt);
      avcodec_free_context(ctx);
    }
  }

  private static void addCue(List<Segment> out, AVSubtitle sub, AVPacket pkt, double tb) {
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < sub.num_rects(); r++) {
      String line = rectText(sub.rects(r));
      if (!line.isEmpty()) {
        text.append(text.isEmpty() ? "" : " ").append(line);
      }
    }
    if (text.isEmpty() || pkt.pts() == avutil.AV_NOPTS_VALUE) {
      return;
    }
    long start = Math.max(0, Math.round(pkt.pts() * tb * 1000) + sub.start_display_time());
    long end = pkt.duration() > 0
        ? Math.round((pkt.pts() + pkt.duration()) * tb * 1000)
        : start + Math.max(0, sub.end_display_time() - sub.start_display_time());
    out.add(Segment.of(Modality.SUBTITLE, start, Math.max(start, end), text.toString()));
  }

  private static String rectText(AVSubtitleRect rect) {
    BytePointer ass = rect.ass();
    if (ass != null && !ass.isNull()) {
      String line = ass.getString(java.nio.charset.StandardCharsets.UTF_8);
      int field = 0;
      int at = 0;
      while (field < ASS_FIELDS_BEFORE_TEXT && at >= 0) {
        at = line.indexOf(',', at) + 1;
        field++;
        if (at == 0) {
          at = -1;
        }
      }
      String body = at > 0 ? line.substring(at) : line;
      return clean(ASS_TAGS.matcher(body).replaceAll(""));
    }
    BytePointer plain = rect.text();
    return plain == null || plain.isNull() ? "" : clean(plain.getString(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String clean(String s) {
    return s.replace("\\N", " ").replace("\\n", " ").replace("\\h", " ").replaceAll("\\s+", " ").strip();
  }
}
