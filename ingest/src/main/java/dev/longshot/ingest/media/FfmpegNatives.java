package dev.longshot.ingest.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.javacpp.Loader;

/**
 * Loads the bundled FFmpeg libraries once and silences FFmpeg's own stderr logging (damaged files make it very
 * chatty; the pipeline reports problems itself). Set system property {@code longshot.ffmpeg.log=true} to see it.
 */
public final class FfmpegNatives {
  private static volatile boolean loaded;

  private FfmpegNatives() {}

  /** Loads the libraries; cheap after the first call. */
  public static void load() {
    if (loaded) {
      return;
    }
    synchronized (FfmpegNatives.class) {
      if (!loaded) {
        Loader.load(org.bytedeco.ffmpeg.global.avutil.class);
        Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
        Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
        Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
        Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
        av_log_set_level(Boolean.getBoolean("longshot.ffmpeg.log") ? AV_LOG_ERROR : AV_LOG_QUIET);
        loaded = true;
      }
    }
  }

  /** FFmpeg's text for an error code, e.g. "Invalid data found when processing input". */
  public static String error(int code) {
    byte[] buf = new byte[256];
    if (av_strerror(code, buf, buf.length) < 0) {
      return "error " + code;
    }
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
  }
}
