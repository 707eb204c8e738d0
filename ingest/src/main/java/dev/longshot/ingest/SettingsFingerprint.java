package dev.longshot.ingest;

import dev.longshot.config.AsrSettings;
import dev.longshot.config.LongshotConfig;
import dev.longshot.config.OcrBackend;
import dev.longshot.config.OcrSettings;
import dev.longshot.ingest.asr.SpeechRecognizer;
import dev.longshot.ingest.subtitle.Subtitles;
import dev.longshot.timeline.VideoManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code settingsFingerprint} of a manifest: SHA-256 (first 16 hex digits) over everything that shapes an
 * ingest's output: the record format version, this pipeline's algorithm version, the {@code ingest}, {@code asr},
 * {@code ocr} and {@code detector} sections (not {@code asr.decoders}, which changes speed only, and not the
 * model directory of an OCR backend that is not in use), the backends actually in use, and the size and
 * modification time of any sidecar subtitle file next to the video (adding an .srt later makes the next ingest
 * redo the transcript), and, only for a record whose transcript a speech recogniser made, that recogniser's
 * {@link SpeechRecognizer#outputSettings()} (PocketSphinx's search arguments: changing them redoes the records it
 * transcribed, not those made from subtitles, by whisper or without audio).
 */
public final class SettingsFingerprint {
  /**
   * Bump when sampling, merging or segment layout changes in a way that should redo existing records. A change of
   * a speech recogniser's own settings needs no bump: its {@link SpeechRecognizer#outputSettings()} are hashed.
   */
  public static final int PIPELINE_VERSION = 5; // 2: OCR spans by content words, 3: stricter OpenCV detections (issue 14),
  // 4: PocketSphinx -lpbeam 1e-30 (16 % less ASR CPU; since then PocketSphinx's settings are in its records' fingerprint),
  // 5: OpenCV detection at 480 px (issue 14)

  private SettingsFingerprint() {}

  /** The fingerprint of a record without a recogniser's transcript. */
  public static String of(LongshotConfig config, String backends, Path video) {
    return of(config, backends, video, "");
  }

  /**
   * The fingerprint of a record; {@code transcriber} is the {@link SpeechRecognizer#outputSettings()} of the
   * recogniser that made its transcript, empty when none did (subtitles, no audio).
   */
  public static String of(LongshotConfig config, String backends, Path video, String transcriber) {
    String text = describe(config, backends, video) + (transcriber.isEmpty() ? "" : "|transcriber=" + transcriber);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The text that is hashed; its layout is part of the record format (changing it redoes every record). */
  static String describe(LongshotConfig config, String backends, Path video) {
    return new StringBuilder()
        .append("format=").append(VideoManifest.FORMAT_VERSION)
        .append("|pipeline=").append(PIPELINE_VERSION)
        .append("|").append(config.ingest())
        .append("|").append(asrOutputSettings(config.asr()))
        .append("|").append(ocrOutputSettings(config.ocr()))
        .append("|").append(config.detector())
        .append("|backends=").append(backends)
        .append("|sidecars=").append(sidecars(video))
        .toString();
  }

  /** The asr section without {@code decoders}: how many utterances decode at once does not change the words. */
  private static String asrOutputSettings(AsrSettings a) {
    return "asr[backend=" + a.backend() + ", pocketsphinxModelDir=" + a.pocketsphinxModelDir() + ", whisperModel="
        + a.whisperModel() + ", chunkSeconds=" + a.chunkSeconds() + "]";
  }

  /**
   * The ocr section as it shaped the output. Tesseract settings read exactly as they did before the paddle backend
   * existed, so upgrading does not redo records; {@code paddle-model-dir} counts only with {@code backend: paddle}.
   */
  private static String ocrOutputSettings(OcrSettings o) {
    String tesseract = "OcrSettings[backend=" + o.backend() + ", tessdataDir=" + o.tessdataDir() + ", language="
        + o.language() + ", minConfidence=" + o.minConfidence() + "]";
    return o.backend() == OcrBackend.PADDLE ? tesseract + "[paddleModelDir=" + o.paddleModelDir() + "]" : tesseract;
  }

  private static String sidecars(Path video) {
    Path abs = video.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null) {
      return "";
    }
    String name = abs.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    StringBuilder out = new StringBuilder();
    for (String ext : Subtitles.SIDECAR_EXTENSIONS.stream().flatMap(e -> Subtitles.spellings(e).stream()).toList()) {
      Path p = dir.resolve(base + "." + ext); // srt, SRT, vtt, VTT: the order stored fingerprints were made in
      try {
        if (Files.isRegularFile(p)) {
          out.append(ext).append(':').append(Files.size(p)).append(':').append(Files.getLastModifiedTime(p).toMillis()).append(';');
        }
      } catch (IOException e) {
        out.append(ext).append(":?;");
      }
    }
    return out.toString();
  }
}
