package dev.longshot.ingest.sample;

import dev.longshot.ingest.media.LumaThumb;

/**
 * Chooses keyframes from a stream of frames: uniform samples at {@code ingest.sample-fps} plus every scene change
 * (a cut, a slide change, a new line of text), and decides which keyframes need OCR. Frames are looked at
 * {@link #analysisFps} times per second of video ({@link #due}); each look compares a {@link LumaThumb} with the
 * last keyframe:
 *
 * <ul>
 *   <li>the content <b>changed</b> when the mean luma difference is at least {@code sceneChangeThreshold}, or
 *       more than {@link #CONTENT_FRACTION} of the thumbnail's pixels changed clearly (a new bullet on the same
 *       slide, one changed word or digit);</li>
 *   <li>a <b>scene</b> keyframe is taken as soon as changed content has <b>settled</b> (two consecutive looks
 *       nearly equal), so a slide that fades in is captured after the fade, readable for OCR; after a cut
 *       into moving footage (which never settles) it is taken {@link #SETTLE_MILLIS} after the cut;</li>
 *   <li>a <b>uniform</b> sample becomes a keyframe only if the picture moved since the last keyframe, or
 *       {@link #MAX_GAP_MILLIS} passed: a static hour gives one keyframe a minute, not 1,800, and moving
 *       footage gives one per uniform step plus its cuts;</li>
 *   <li>a keyframe is <b>analysed</b> (OCR, object detection) only if its content differs from the last analysed
 *       keyframe, and, for uniform keyframes of moving footage, at most every {@link
 *       #UNIFORM_ANALYSIS_GAP_MILLIS}; otherwise what was seen last is taken to persist. The scene keyframe taken
 *       {@link #SETTLE_MILLIS} after a cut into moving footage is not analysed when a keyframe analysed since the cut
 *       (a uniform sample that landed on it) shows the same shot: no look since differed from the one before by a
 *       cut (a zoom or pan drifts away from that keyframe, but look by look it stays under the cut threshold).</li>
 * </ul>
 *
 * Deterministic; not thread-safe.
 */
public final class FrameSampler {
  /**
   * Share of clearly changed thumbnail pixels (about 6 of 57,600) that counts as changed content: one changed
   * digit of 30 px text on a 720p slide changes 16 (issue 14), a still slide's compression noise none.
   */
  public static final double CONTENT_FRACTION = 0.0001;
  /** Mean difference under which two consecutive looks count as the same still picture. */
  static final double SETTLED = 0.004;
  /** Longest wait for a changed picture to settle before it is captured anyway. */
  static final long SETTLE_MILLIS = 1_000;
  /** A static picture still gets a keyframe this often, so the timeline has no long blind spots. */
  public static final long MAX_GAP_MILLIS = 60_000;
  /**
   * Uniform keyframes of moving footage (pans, people; nothing still for {@link #MOVING_MILLIS}) are analysed (OCR,
   * detection) at most this often; scene keyframes, and uniform ones that catch a change after a still picture
   * (an instant slide change), always are. Bounds the OCR cost of moving footage without missing slide changes.
   */
  public static final long UNIFORM_ANALYSIS_GAP_MILLIS = 10_000;
  /** Footage that has not been still for this long counts as moving (for {@link #UNIFORM_ANALYSIS_GAP_MILLIS}). */
  static final long MOVING_MILLIS = 2_000;
  /** Mean difference a uniform sample must show against the last keyframe to be kept. */
  static final double UNIFORM_MOVED = 0.01;

  /** Why a frame became a keyframe. */
  public enum Reason { FIRST, SCENE, UNIFORM }

  /**
   * A chosen keyframe.
   *
   * @param millis its time
   * @param reason why it was chosen
   * @param ocr whether to analyse it (OCR and object detection): its content changed since the last analysed
   *     keyframe, and it is a scene keyframe or {@link #UNIFORM_ANALYSIS_GAP_MILLIS} passed since the last analysis
   */
  public record Decision(long millis, Reason reason, boolean ocr) {}

  private final long uniformStepMillis;
  private final long analysisStepMillis;
  private final double sceneThreshold;

  private long nextAnalysis;
  private long nextUniform;
  private LumaThumb previous;
  private LumaThumb kept;
  private long keptMillis = -1;
  private LumaThumb ocred;
  private long ocredMillis;
  private long lastSettled;
  private long pendingSince = -1;
  /** The last look that differed from the one before by a cut ({@code sceneChangeThreshold} or more). */
  private long lastCut = -1;
  private long looks;

  /**
   * @param sampleFps uniform sampling rate, frames per second
   * @param sceneChangeThreshold mean luma difference (0..1) that counts as a cut
   * @param analysisFps how often frames are compared; at least {@code sampleFps}
   */
  public FrameSampler(double sampleFps, double sceneChangeThreshold, double analysisFps) {
    this.uniformStepMillis = Math.max(1, Math.round(1000 / sampleFps));
    this.analysisStepMillis = Math.max(1, Math.round(1000 / Math.max(analysisFps, sampleFps)));
    this.sceneThreshold = sceneChangeThreshold;
  }

  /** The default look rate: often enough that a slide shown for a quarter of a second is seen. */
  public static double analysisFps(double sampleFps) {
    return Math.max(4.0, sampleFps);
  }

  /** Whether the frame at {@code millis} should be looked at ({@link #offer}). */
  public boolean due(long millis) {
    return millis >= nextAnalysis;
  }

  /** Frames compared so far. */
  public long looks() {
    return looks;
  }

  /**
   * Looks at a frame; returns the keyframe decision, or null when the frame is not a keyframe.
   */
  public Decision offer(long millis, LumaThumb thumb) {
    looks++;
    nextAnalysis = (millis / analysisStepMillis + 1) * analysisStepMillis;
    LumaThumb prev = previous;
    previous = thumb;
    if (kept == null) {
      nextUniform = (millis / uniformStepMillis + 1) * uniformStepMillis;
      return keep(millis, thumb, Reason.FIRST, true);
    }
    boolean uniformDue = millis >= nextUniform;
    if (uniformDue) {
      nextUniform = (millis / uniformStepMillis + 1) * uniformStepMillis;
    }
    LumaThumb.Difference toKept = thumb.difference(kept);
    LumaThumb.Difference toPrev = prev == null ? null : thumb.difference(prev);
    boolean changed = toKept.mean() >= sceneThreshold || toKept.changedFraction() > CONTENT_FRACTION;
    boolean settled = toPrev != null && toPrev.mean() < SETTLED && toPrev.changedFraction() <= CONTENT_FRACTION;
    if (settled) {
      lastSettled = millis;
    }
    if (toPrev != null && toPrev.mean() >= sceneThreshold) {
      lastCut = millis;
      if (pendingSince < 0) {
        pendingSince = millis; // a cut or the start of a transition
      }
    }
    if (changed && settled) {
      pendingSince = -1;
      return keep(millis, thumb, Reason.SCENE, true);
    }
    if (pendingSince >= 0 && millis - pendingSince >= SETTLE_MILLIS) {
      long cut = pendingSince;
      pendingSince = -1;
      if (changed) {
        // a cut into moving footage: take it without waiting longer; but when a keyframe analysed since the cut
        // (a uniform sample landing on it) shows the same shot (no cut since), the motion is no reason to analyse
        boolean sameShot = ocred != null && ocredMillis >= cut && lastCut <= ocredMillis;
        return keep(millis, thumb, Reason.SCENE, !sameShot);
      }
    }
    if (uniformDue && (changed || toKept.mean() >= UNIFORM_MOVED || millis - keptMillis >= MAX_GAP_MILLIS)) {
      return keep(millis, thumb, Reason.UNIFORM, true);
    }
    return null;
  }

  /** Keeps the frame as a keyframe; {@code mayAnalyse} false: never analysed (the same shot was just analysed). */
  private Decision keep(long millis, LumaThumb thumb, Reason reason, boolean mayAnalyse) {
    kept = thumb;
    keptMillis = millis;
    LumaThumb.Difference toOcred = ocred == null ? null : thumb.difference(ocred);
    boolean changed = mayAnalyse
        && (toOcred == null || toOcred.changedFraction() > CONTENT_FRACTION || toOcred.mean() >= sceneThreshold);
    boolean moving = millis - lastSettled > MOVING_MILLIS;
    boolean ocr = changed && (reason != Reason.UNIFORM || !moving || millis - ocredMillis >= UNIFORM_ANALYSIS_GAP_MILLIS);
    if (ocr) {
      ocred = thumb;
      ocredMillis = millis;
    }
    return new Decision(millis, reason, ocr);
  }
}
