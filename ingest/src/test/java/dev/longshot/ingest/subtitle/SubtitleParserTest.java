package dev.longshot.ingest.subtitle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubtitleParserTest {
  @Test
  void srtWithBomCrlfTagsAndMultiLineCues() {
    String srt = "\uFEFF1\r\n00:00:01,500 --> 00:00:03,250\r\n<i>Hello</i> there,\r\nworld &amp; co\r\n\r\n"
        + "2\r\n01:02:03,004 --> 01:02:05,000\r\n{\\an8}Second cue\r\n";
    List<Segment> cues = SubtitleParser.parse(srt, "talk.srt");
    assertThat(cues).extracting(Segment::startMillis, Segment::endMillis, Segment::text).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1_500L, 3_250L, "Hello there, world & co"),
        org.assertj.core.groups.Tuple.tuple(3_723_004L, 3_725_000L, "Second cue"));
    assertThat(cues).allMatch(c -> c.modality() == Modality.SUBTITLE);
  }

  @Test
  void vttWithHeaderNotesCueIdsSettingsAndShortTimes() {
    String vtt = """
        WEBVTT - lecture

        NOTE written by hand

        intro
        00:01.000 --> 00:04.500 align:start position:10%
        <v Maria>Welcome to <c.yellow>project heron</c>.

        00:00:05.000 --> 00:00:06.000
        Next
        """;
    List<Segment> cues = SubtitleParser.parse(vtt, "talk.vtt");
    assertThat(cues).extracting(Segment::text).containsExactly("Welcome to project heron.", "Next");
    assertThat(cues.getFirst().startMillis()).isEqualTo(1_000);
    assertThat(cues.getFirst().endMillis()).isEqualTo(4_500);
  }

  @Test
  void emptyCuesAreDroppedAndOrderIsByStart() {
    String srt = "1\n00:00:09,000 --> 00:00:10,000\nlater\n\n2\n00:00:01,000 --> 00:00:02,000\n<i></i>\n\n"
        + "3\n00:00:03,000 --> 00:00:04,000\nearlier\n";
    assertThat(SubtitleParser.parse(srt, "x.srt")).extracting(Segment::text).containsExactly("earlier", "later");
  }

  @Test
  void unreadableTimingNamesFileAndLine() {
    assertThatThrownBy(() -> SubtitleParser.parse("1\nsoon --> later\ntext\n", "bad.srt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.srt")
        .hasMessageContaining("line 2");
  }

  @Test
  void absurdHoursNameFileAndLineInsteadOfOverflowing() {
    // 20 digits of hours: Long.parseLong threw NumberFormatException "For input string" (no file, no line);
    // 2^32 hours wrapped the milliseconds negative and the segment check said only "Invalid segment time -..."
    for (String hours : List.of("99999999999999999999", "4294967296", "100000")) {
      assertThatThrownBy(() -> SubtitleParser.parse("1\n" + hours + ":00:00,000 --> 1:00:00,000\ntext\n", "far.srt"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("far.srt")
          .hasMessageContaining("line 2").hasMessageContaining(hours);
    }
    assertThat(SubtitleParser.parse("1\n99999:00:00,000 --> 99999:00:01,000\nlate\n", "ok.srt"))
        .extracting(Segment::startMillis).containsExactly(99999L * 3_600_000);
  }

  @Test
  void aTimingLineWithControlCharactersGivesOneLine() {
    assertThatThrownBy(() -> SubtitleParser.parse("1\nsoon\u001b[2J\u0085 --> later\ntext\n", "esc.srt"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("esc.srt")
        .hasMessageContaining("\\u001b[2J").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b", "\u0085"));
  }
}
