package dev.longshot.ingest.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestException.Kind;
import dev.longshot.ingest.asr.SpeechRecognizer;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * One streaming pass over a file with JavaCV's {@link FFmpegFrameGrabber}: audio comes out resampled by FFmpeg to
 * 16 kHz mono signed 16-bit PCM, video frames come out undecorated (no colour conversion) and are converted only
 * when the {@link Sink} asks for them, scaled down inside swscale. Nothing is accumulated, so memory stays flat
 * whatever the length. Timestamps are the frames' own presentation times (variable frame rate is fine), shifted
 * so the file starts at 0. When the sink looks at frames much less often than the stream has them ({@link
 * #skipsNonReferenceFrames}), FFmpeg is told not to decode non-reference frames (the B-frames of common H.264
 * encodes), which nothing else depends on: about half the decoding work of a 25 fps camera file. When, moreover,
 * the container's index shows no stretch without a keyframe longer than the sink's sampling interval ({@link
 * #frameSkip}: a phone-like encode with a keyframe every second, uniform samples every 2 s), only keyframes are
 * decoded; the sink then looks once per keyframe. Not thread-safe; one instance per file.
 */
public final class MediaDecoder implements AutoCloseable {
  /** Receives what the pass decodes, on the decoding thread. */
  public interface Sink {
    /**
     * Consumes consecutive 16 kHz mono PCM samples; the first chunk starts at time 0 (leading and inner gaps of
     * the audio track are filled with silence). The array is reused after return.
     */
    void audio(short[] pcm, int length) throws Exception;

    /** Whether the sink wants to look at the frame presented at {@code millis}; cheap, called for every frame. */
    boolean wantsFrame(long millis);

    /** A frame the sink asked for; see {@link DecodedFrame} for its lifetime. */
    void frame(DecodedFrame frame) throws Exception;

    /** Decoding has reached {@code millis} of media time (for progress). */
    default void position(long millis) {}
  }

  /** What the pass saw. */
  public record Stats(long videoFrames, long lastVideoMillis, long audioSamples, long endMillis) {}

  private static final int AUDIO_CHUNK = 8_000;
  private static final long MAX_AUDIO_GAP_SAMPLES = SpeechRecognizer.SAMPLE_RATE_HZ * 60L;
  /**
   * Non-reference frames are skipped only when the stream has at least this many frames per frame the sink looks
   * at: runs of up to three B-frames (x264's default and the usual camera encodes) then still leave a decoded frame
   * within every look interval.
   */
  static final double SKIP_NONREF_MIN_RATIO = 4.0;

  private final Path file;
  private final MediaInfo info;
  private final boolean decodeAudio;
  private final boolean decodeVideo;
  private final double lookFps;
  private final double sampleFps;
  private SwsContext thumbCtx;
  private SwsContext imageCtx;
  private BytePointer thumbBuf;
  private BytePointer imageBuf;
  private long imageBufSize;

  /** A decoder that decodes every video frame. */
  public MediaDecoder(Path file, MediaInfo info, boolean decodeAudio, boolean decodeVideo) {
    this(file, info, decodeAudio, decodeVideo, 0);
  }

  /**
   * A decoder for a sink that looks at about {@code lookFps} frames per second of video (0: at every frame); see
   * {@link #skipsNonReferenceFrames}.
   */
  public MediaDecoder(Path file, MediaInfo info, boolean decodeAudio, boolean decodeVideo, double lookFps) {
    this(file, info, decodeAudio, decodeVideo, lookFps, 0);
  }

  /**
   * A decoder for a sink that looks at about {@code lookFps} frames per second of video and needs at least {@code
   * sampleFps} of them (0: no such bound); see {@link #frameSkip}.
   */
  public MediaDecoder(Path file, MediaInfo info, boolean decodeAudio, boolean decodeVideo, double lookFps,
      double sampleFps) {
    this.file = file;
    this.sampleFps = sampleFps;
    this.info = info;
    this.decodeAudio = decodeAudio && info.hasAudio();
    this.decodeVideo = decodeVideo && info.hasVideo();
    this.lookFps = lookFps;
  }

  /**
   * Whether a stream of {@code frameRate} frames per second is decoded without its non-reference frames for a sink
   * looking at {@code lookFps} frames per second: only when it has at least {@link #SKIP_NONREF_MIN_RATIO} times
   * as many frames as are looked at.
   */
  public static boolean skipsNonReferenceFrames(double frameRate, double lookFps) {
    return lookFps > 0 && frameRate >= SKIP_NONREF_MIN_RATIO * lookFps;
  }

  /** What FFmpeg is told not to decode. */
  public enum FrameSkip {
    /** Every frame is decoded. */
    NONE,
    /** Frames no other frame refers to (FFmpeg's {@code skip_frame=noref}). */
    NON_REFERENCE,
    /** All but keyframes ({@code skip_frame=nokey}). */
    NON_KEY
  }

  /**
   * What a stream of {@code frameRate} frames per second whose longest stretch without a keyframe is {@code
   * maxKeyframeIntervalMillis} (0: unknown) is decoded without, for a sink that looks at {@code lookFps} frames per
   * second (0: every frame) and needs a frame at least every {@code 1 / sampleFps} seconds (0: no bound): only
   * keyframes when they come at least that often, else non-reference frames when {@link #skipsNonReferenceFrames}.
   */
  public static FrameSkip frameSkip(double frameRate, long maxKeyframeIntervalMillis, double lookFps, double sampleFps) {
    if (lookFps <= 0) {
      return FrameSkip.NONE;
    }
    if (sampleFps > 0 && maxKeyframeIntervalMillis > 0 && maxKeyframeIntervalMillis <= 1000 / sampleFps) {
      return FrameSkip.NON_KEY;
    }
    return skipsNonReferenceFrames(frameRate, lookFps) ? FrameSkip.NON_REFERENCE : FrameSkip.NONE;
  }

  /** Decodes the whole file into {@code sink}. */
  public Stats run(Sink sink) throws IngestException {
    FFmpegFrameGrabber grabber = start();
    AudioChunks audio = new AudioChunks(sink);
    long videoFrames = 0;
    long lastVideo = -1;
    long end = 0;
    long start = info.startMicros();
    try {
      Frame f;
      while ((f = grabber.grabFrame(decodeAudio, decodeVideo, true, false, false)) != null) {
        if (Thread.currentThread().isInterrupted()) {
          throw new IngestException(Kind.INTERNAL, "ingest of " + file + " was interrupted");
        }
        long micros = Math.max(0, f.timestamp - start);
        long millis = micros / 1000;
        if (f.image != null && f.opaque instanceof AVFrame picture && decodeVideo) {
          videoFrames++;
          lastVideo = millis;
          end = Math.max(end, millis);
          if (sink.wantsFrame(millis)) {
            sink.frame(new Frame0(picture, millis));
          }
        } else if (f.samples != null && decodeAudio && f.samples[0] instanceof ShortBuffer pcm) {
          audio.add(pcm, micros);
          end = Math.max(end, audio.millis());
        }
        sink.position(end);
      }
      audio.flush();
    } catch (IngestException e) {
      throw e;
    } catch (FrameGrabber.Exception e) {
      throw new IngestException(Kind.CORRUPT, "truncated or corrupt file: " + file + " (decoding failed at "
          + end / 1000 + " s: " + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IngestException(Kind.INTERNAL, "ingest of " + file + " failed at " + end / 1000 + " s: " + e.getMessage(), e);
    } finally {
      try {
        grabber.close();
      } catch (FrameGrabber.Exception ignored) {
        // nothing useful to do
      }
    }
    return new Stats(videoFrames, lastVideo, audio.samplesOut, end);
  }

  /** A started grabber: raw frames, and audio resampled to 16 kHz mono 16-bit when audio is wanted. */
  private FFmpegFrameGrabber start() throws IngestException {
    FfmpegNatives.load();
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toAbsolutePath().toString());
    grabber.setImageMode(FrameGrabber.ImageMode.RAW);
    if (decodeVideo) {
      switch (frameSkip(info.frameRate(), info.maxKeyframeIntervalMillis(), lookFps, sampleFps)) {
        case NON_KEY -> grabber.setVideoOption("skip_frame", "nokey"); // AVDISCARD_NONKEY
        case NON_REFERENCE -> grabber.setVideoOption("skip_frame", "noref"); // AVDISCARD_NONREF
        case NONE -> { }
      }
    }
    if (decodeAudio) {
      grabber.setSampleRate(SpeechRecognizer.SAMPLE_RATE_HZ);
      grabber.setAudioChannels(1);
      grabber.setSampleFormat(AV_SAMPLE_FMT_S16);
      grabber.setSampleMode(FrameGrabber.SampleMode.SHORT);
    }
    try {
      grabber.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new IngestException(Kind.CORRUPT, "truncated or corrupt file: " + file + " (FFmpeg cannot start decoding: "
          + e.getMessage() + ")", e);
    }
    return grabber;
  }

  /**
   * Hands the sink audio in chunks of {@value #AUDIO_CHUNK} samples, padding leading or inner gaps with silence so
   * that sample n is at n / 16 kHz in the video.
   */
  private static final class AudioChunks {
    private final Sink sink;
    private final short[] chunk = new short[AUDIO_CHUNK];
    private int chunkLength;
    long samplesOut;

    AudioChunks(Sink sink) {
      this.sink = sink;
    }

    /** Appends {@code pcm}, which starts at {@code micros} into the video. */
    void add(ShortBuffer pcm, long micros) throws Exception {
      long expected = micros * SpeechRecognizer.SAMPLE_RATE_HZ / 1_000_000;
      long gap = expected - (samplesOut + chunkLength);
      if (gap > 1_600 && gap < MAX_AUDIO_GAP_SAMPLES) {
        while (gap > 0) {
          int n = (int) Math.min(gap, AUDIO_CHUNK - chunkLength);
          java.util.Arrays.fill(chunk, chunkLength, chunkLength + n, (short) 0);
          chunkLength += n;
          gap -= n;
          emitWhenFull();
        }
      }
      ShortBuffer b = pcm.duplicate();
      b.position(0);
      while (b.hasRemaining()) {
        int n = Math.min(b.remaining(), AUDIO_CHUNK - chunkLength);
        b.get(chunk, chunkLength, n);
        chunkLength += n;
        emitWhenFull();
      }
    }

    /** Milliseconds of audio taken so far. */
    long millis() {
      return (samplesOut + chunkLength) * 1000 / SpeechRecognizer.SAMPLE_RATE_HZ;
    }

    void flush() throws Exception {
      if (chunkLength > 0) {
        sink.audio(chunk, chunkLength);
        samplesOut += chunkLength;
        chunkLength = 0;
      }
    }

    private void emitWhenFull() throws Exception {
      if (chunkLength == AUDIO_CHUNK) {
        flush();
      }
    }
  }

  @Override
  public void close() {
    if (thumbCtx != null) {
      sws_freeContext(thumbCtx);
      thumbCtx = null;
    }
    if (imageCtx != null) {
      sws_freeContext(imageCtx);
      imageCtx = null;
    }
    if (thumbBuf != null) {
      thumbBuf.close();
      thumbBuf = null;
    }
    if (imageBuf != null) {
      imageBuf.close();
      imageBuf = null;
    }
  }

  private static int align64(int n) {
    return (n + 63) & ~63;
  }

  /** A decoded picture; conversions go through this decoder's cached swscale contexts. */
  private final class Frame0 implements DecodedFrame {
    private final AVFrame picture;
    private final long millis;
    private LumaThumb thumb;

    Frame0(AVFrame picture, long millis) {
      this.picture = picture;
      this.millis = millis;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public LumaThumb thumb() {
      if (thumb == null) {
        int stride = align64(LumaThumb.WIDTH);
        if (thumbBuf == null) {
          thumbBuf = new BytePointer((long) stride * LumaThumb.HEIGHT);
        }
        thumbCtx = sws_getCachedContext(thumbCtx, picture.width(), picture.height(), picture.format(),
            LumaThumb.WIDTH, LumaThumb.HEIGHT, AV_PIX_FMT_GRAY8, SWS_AREA, null, null, (DoublePointer) null);
        byte[] out = new byte[LumaThumb.WIDTH * LumaThumb.HEIGHT];
        if (thumbCtx != null) {
          scale(thumbCtx, thumbBuf, stride, LumaThumb.HEIGHT);
          for (int y = 0; y < LumaThumb.HEIGHT; y++) {
            thumbBuf.position((long) y * stride).get(out, y * LumaThumb.WIDTH, LumaThumb.WIDTH);
          }
          thumbBuf.position(0);
        }
        thumb = new LumaThumb(out);
      }
      return thumb;
    }

    @Override
    public BufferedImage image(int maxSide) {
      int w = picture.width();
      int h = picture.height();
      double s = Math.min(1.0, maxSide / (double) Math.max(w, h));
      int dw = Math.max(1, (int) Math.round(w * s));
      int dh = Math.max(1, (int) Math.round(h * s));
      int stride = align64(dw * 3);
      long size = (long) stride * dh + 64;
      if (imageBuf == null || imageBufSize < size) {
        if (imageBuf != null) {
          imageBuf.close();
        }
        imageBuf = new BytePointer(size);
        imageBufSize = size;
      }
      imageCtx = sws_getCachedContext(imageCtx, w, h, picture.format(), dw, dh, AV_PIX_FMT_BGR24,
          s < 1.0 ? SWS_AREA : SWS_BILINEAR, null, null, (DoublePointer) null);
      if (imageCtx == null) {
        throw new IllegalStateException("swscale cannot convert pixel format " + picture.format() + " of " + file);
      }
      scale(imageCtx, imageBuf, stride, dh);
      BufferedImage img = new BufferedImage(dw, dh, BufferedImage.TYPE_3BYTE_BGR);
      byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      for (int y = 0; y < dh; y++) {
        imageBuf.position((long) y * stride).get(dst, y * dw * 3, dw * 3);
      }
      imageBuf.position(0);
      return Images.rotate(img, info.rotation());
    }

    private void scale(SwsContext ctx, BytePointer dst, int stride, int height) {
      try (PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
          IntPointer dstStride = new IntPointer(4)) {
        dstData.put(0, dst);
        dstStride.put(0, stride);
        sws_scale(ctx, new PointerPointer<>(picture), picture.linesize(), 0, picture.height(), dstData, dstStride);
      }
    }
  }
}
