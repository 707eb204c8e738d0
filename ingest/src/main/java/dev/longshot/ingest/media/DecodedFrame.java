package dev.longshot.ingest.media;

import java.awt.image.BufferedImage;

/**
 * One decoded video frame, valid only during the {@link MediaDecoder.Sink#frame} call that receives it (the decoder
 * reuses its buffers). Conversions are done on demand, so frames nobody looks at cost nothing beyond decoding.
 */
public interface DecodedFrame {
  /** Presentation time in the video, milliseconds from the start. */
  long millis();

  /** A small grayscale version ({@link LumaThumb#WIDTH} x {@link LumaThumb#HEIGHT}) for change detection. */
  LumaThumb thumb();

  /**
   * The frame in display orientation (rotation metadata applied) as a new {@code TYPE_3BYTE_BGR} image whose
   * longest side is at most {@code maxSide} (never upscaled). The image is the caller's to keep.
   */
  BufferedImage image(int maxSide);
}
