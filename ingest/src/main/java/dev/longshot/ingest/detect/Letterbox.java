package dev.longshot.ingest.detect;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;

/**
 * YOLO's letterbox: scale the frame to fit {@code width x height} keeping its aspect ratio, centre it, pad with grey
 * 114 (Ultralytics' value). {@link #toFrame} maps a model-space coordinate back to the original frame.
 *
 * @param scale model pixels per frame pixel
 * @param padX left padding in model pixels
 * @param padY top padding in model pixels
 */
record Letterbox(int width, int height, int frameWidth, int frameHeight, double scale, double padX, double padY) {
  static final int PAD_GREY = 114;

  static Letterbox of(int width, int height, int frameWidth, int frameHeight) {
    double scale = Math.min((double) width / frameWidth, (double) height / frameHeight);
    int w = (int) Math.round(frameWidth * scale);
    int h = (int) Math.round(frameHeight * scale);
    return new Letterbox(width, height, frameWidth, frameHeight, scale, (width - w) / 2.0, (height - h) / 2.0);
  }

  /** Frame x (pixels) of model-space x. */
  double frameX(double modelX) {
    return (modelX - padX) / scale;
  }

  /** Frame y (pixels) of model-space y. */
  double frameY(double modelY) {
    return (modelY - padY) / scale;
  }

  /** The letterboxed frame as a CHW float tensor body, RGB, 0..1. */
  FloatBuffer toChw(BufferedImage frame) {
    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setColor(new Color(PAD_GREY, PAD_GREY, PAD_GREY));
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      int w = (int) Math.round(frameWidth * scale);
      int h = (int) Math.round(frameHeight * scale);
      g.drawImage(frame, (int) Math.floor(padX), (int) Math.floor(padY), w, h, null);
    } finally {
      g.dispose();
    }
    byte[] bgr = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
    int plane = width * height;
    float[] chw = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      chw[i] = (bgr[3 * i + 2] & 0xff) / 255f;
      chw[plane + i] = (bgr[3 * i + 1] & 0xff) / 255f;
      chw[2 * plane + i] = (bgr[3 * i] & 0xff) / 255f;
    }
    return FloatBuffer.wrap(chw);
  }
}
