package dev.longshot.ingest.subtitle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.fuzz.FuzzCheck;
import dev.longshot.config.fuzz.Mutations;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of sidecar subtitles: seeded mutants of an SRT and a VTT file (absurd timestamps, duplicated
 * cues, broken arrows, control characters, truncation) each parse or fail with an IllegalArgumentException whose
 * message is one line naming the file.
 */
class SubtitleFuzzTest {
  private static final long SEED = 20261202L;
  private static final String SRT = """
      1
      00:00:01,000 --> 00:00:02,500
      <i>Hello</i> there

      2
      00:00:03,000 --> 00:00:04,000
      {\\an8}Second &amp; last
      line two

      3
      01:02:03,456 --> 01:02:05,000
      Late cue
      """;
  private static final String VTT = """
      WEBVTT

      NOTE a comment

      intro
      00:01.000 --> 00:02.000 align:start
      <c.x>Short</c> times

      00:00:03.000 --> 00:00:04.000
      Full times
      """;

  @Test
  void mutatedSrtAndVttParseOrFailWithOneLineNamingTheFile() {
    for (String[] sample : new String[][] {{"talk.srt", SRT}, {"talk.vtt", VTT}}) {
      FuzzCheck<String> c = new FuzzCheck<String>(sample[0], SEED, 32L << 20, IllegalArgumentException.class)
          .mustName(sample[0]).run(Mutations.text(sample[1], SEED, 3000),
              s -> SubtitleParser.parse(s, sample[0]));
      assertThat(c.faults()).isEmpty();
    }
  }
}
