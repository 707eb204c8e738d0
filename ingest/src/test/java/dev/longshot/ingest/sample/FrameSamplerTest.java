package dev.longshot.ingest.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.ingest.media.LumaThumb;
import dev.longshot.ingest.sample.FrameSampler.Decision;
import dev.longshot.ingest.sample.FrameSampler.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class FrameSamplerTest {
  private static LumaThumb flat(int luma) {
    byte[] p = new byte[LumaThumb.WIDTH * LumaThumb.HEIGHT];
    java.util.Arrays.fill(p, (byte) luma);
    return new LumaThumb(p);
  }

  /** A white "slide" with a dark bar (a line of text) of {@code width} pixels at row {@code row}. */
  private static LumaThumb slide(int row, int width) {
    byte[] p = new byte[LumaThumb.WIDTH * LumaThumb.HEIGHT];
    java.util.Arrays.fill(p, (byte) 240);
    for (int x = 10; x < 10 + width; x++) {
      for (int y = row; y < row + 3; y++) {
        p[y * LumaThumb.WIDTH + x] = 20;
      }
    }
    return new LumaThumb(p);
  }

  /** Feeds a 25 fps video of {@code seconds} whose picture at time t is {@code picture(t)}. */
  private static List<Decision> run(FrameSampler s, double seconds, LongFunction<LumaThumb> picture) {
    List<Decision> out = new ArrayList<>();
    for (long ms = 0; ms < seconds * 1000; ms += 40) {
      if (s.due(ms)) {
        Decision d = s.offer(ms, picture.apply(ms));
        if (d != null) {
          out.add(d);
        }
      }
    }
    return out;
  }

  @Test
  void aStaticHourGivesOneKeyframeAMinuteAndOneOcr() {
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    LumaThumb still = slide(20, 80);
    List<Decision> d = run(s, 3600, ms -> still);
    assertThat(d).hasSize(60);
    assertThat(d.get(0).reason()).isEqualTo(Reason.FIRST);
    assertThat(d.stream().filter(Decision::ocr)).hasSize(1);
    assertThat(s.looks()).isEqualTo(3600 * 4);
  }

  @Test
  void aNewLineOfTextOnTheSameSlideIsACaughtChange() {
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    LumaThumb before = slide(20, 80);
    LumaThumb after = slide(20, 80);
    byte[] p = after.pixels();
    for (int x = 10; x < 40; x++) { // a short second line: 30 x 2 pixels, 0.4 % of the thumbnail
      p[50 * LumaThumb.WIDTH + x] = 20;
      p[51 * LumaThumb.WIDTH + x] = 20;
    }
    assertThat(after.meanDifference(before)).as("too small for the mean alone").isLessThan(0.08);
    List<Decision> d = run(s, 20, ms -> ms < 7_300 ? before : after);
    Decision change = d.stream().filter(x -> x.reason() == Reason.SCENE).findFirst().orElseThrow();
    assertThat(change.millis()).isBetween(7_300L, 7_800L);
    assertThat(change.ocr()).isTrue();
  }

  @Test
  void oneChangedDigitOfSlideTextIsACaughtChange() {
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    LumaThumb before = slide(40, 120);
    LumaThumb after = slide(40, 120);
    byte[] p = after.pixels();
    for (int y = 40; y < 43; y++) { // a "4" becoming a "7": a 3 x 3 patch of the line turns light (9 of 57,600 pixels)
      for (int x = 60; x < 63; x++) {
        p[y * LumaThumb.WIDTH + x] = (byte) 200;
      }
    }
    List<Decision> d = run(s, 20, ms -> ms < 7_300 ? before : after);
    Decision change = d.stream().filter(x -> x.reason() == Reason.SCENE).findFirst().orElseThrow();
    assertThat(change.millis()).isBetween(7_300L, 7_800L);
    assertThat(change.ocr()).isTrue();
  }

  @Test
  void aFadeIsCapturedWhenItSettles() {
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    // slide A until 10 s, a 1.5 s fade through grey, slide B after 11.5 s
    List<Decision> d = run(s, 20, ms -> ms < 10_000 ? flat(30) : ms < 11_500 ? flat(30 + (int) ((ms - 10_000) / 1500.0 * 200)) : flat(230));
    List<Decision> scenes = d.stream().filter(x -> x.reason() == Reason.SCENE).toList();
    assertThat(scenes).isNotEmpty();
    Decision last = scenes.get(scenes.size() - 1);
    assertThat(last.millis()).isBetween(11_500L, 12_100L);
    assertThat(last.ocr()).isTrue();
  }

  @Test
  void movingFootageGivesUniformKeyframesNotOnePerLook() {
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    List<Decision> d = run(s, 60, ms -> flat((int) (ms / 40 % 200)));
    // about one per uniform step (every 2 s) plus a few cuts where the ramp wraps
    assertThat(d.size()).isBetween(25, 45);
    // analysed: the cuts where the ramp wraps (every 8 s) plus a uniform keyframe at most every 10 s
    assertThat(d.stream().filter(Decision::ocr).count()).isBetween(7L, 15L);
  }

  @Test
  void aCutIsTakenImmediately() {
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    List<Decision> d = run(s, 10, ms -> ms < 5_000 ? flat(40) : flat(200));
    assertThat(d).extracting(Decision::reason).containsExactly(Reason.FIRST, Reason.SCENE);
    assertThat(d.get(1).millis()).isBetween(5_000L, 5_600L);
  }

  /** A flat picture of {@code luma} with a 6x6 white block moving 2 pixels a look: footage that never settles. */
  private static LumaThumb moving(int luma, long ms) {
    byte[] p = new byte[LumaThumb.WIDTH * LumaThumb.HEIGHT];
    java.util.Arrays.fill(p, (byte) luma);
    int x0 = (int) (ms / 125 % 300);
    for (int y = 80; y < 86; y++) {
      for (int x = x0; x < x0 + 6; x++) {
        p[y * LumaThumb.WIDTH + x] = (byte) 255;
      }
    }
    return new LumaThumb(p);
  }

  @Test
  void aCutCaughtByAnAnalysedUniformKeyframeIsNotAnalysedAgainASecondLater() {
    // moving footage, cut at 12.0 s exactly on a uniform step (0.5 fps): the uniform keyframe of the cut is
    // analysed (10 s since the last analysis, at 2 s); the scene keyframe taken 1 s after the cut shows the same
    // shot (issue 14: camera footage analysed photos twice)
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    List<Decision> d = run(s, 16, ms -> moving(ms < 12_000 ? 40 : 200, ms));
    Decision atCut = d.stream().filter(x -> x.millis() == 12_000).findFirst().orElseThrow();
    assertThat(atCut.ocr()).isTrue();
    assertThat(d.stream().filter(x -> x.millis() > 12_000 && x.ocr())).isEmpty();
    assertThat(d.stream().filter(x -> x.millis() > 12_000 && x.reason() == Reason.SCENE)).isNotEmpty();
  }

  @Test
  void aShotThatDriftsAfterTheCutIsNotAnalysedAgainEither() {
    // as above, but after the cut the picture brightens 6 levels a look (a zoom over a textured photo): a second
    // later it is 0.09 away from the analysed keyframe, over the cut threshold, yet no look was a cut
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    List<Decision> d = run(s, 14, ms -> moving(ms < 12_000 ? 40 : 150 + (int) Math.min(60, (ms - 12_000) / 250 * 6), ms));
    assertThat(d.stream().filter(x -> x.millis() == 12_000).findFirst().orElseThrow().ocr()).isTrue();
    assertThat(d.stream().filter(x -> x.millis() > 12_000 && x.millis() < 14_000 && x.ocr())).isEmpty();
  }

  @Test
  void aCutBetweenUniformStepsIntoMovingFootageIsStillAnalysed() {
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    List<Decision> d = run(s, 16, ms -> moving(ms < 13_000 ? 40 : 200, ms));
    Decision scene = d.stream().filter(x -> x.millis() >= 13_000 && x.reason() == Reason.SCENE).findFirst().orElseThrow();
    assertThat(scene.millis()).isBetween(13_000L, 14_100L);
    assertThat(scene.ocr()).isTrue();
  }

  @Test
  void aSecondCutRightAfterAnAnalysedOneIsAnalysed() {
    // cut to grey at 12.0 s (on a uniform step, analysed), then to white at 12.5 s: a new picture, analysed
    FrameSampler s = new FrameSampler(0.5, 0.08, 4);
    List<Decision> d = run(s, 16, ms -> moving(ms < 12_000 ? 40 : ms < 12_500 ? 120 : 230, ms));
    assertThat(d.stream().filter(x -> x.millis() == 12_000).findFirst().orElseThrow().ocr()).isTrue();
    assertThat(d.stream().filter(x -> x.millis() >= 12_500 && x.millis() <= 13_600 && x.ocr())).isNotEmpty();
  }
}
