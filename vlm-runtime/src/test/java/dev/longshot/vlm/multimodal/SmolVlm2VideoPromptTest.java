package dev.longshot.vlm.multimodal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.config.VlmSettings;
import dev.longshot.timeline.EnglishNumbers;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import dev.longshot.vlm.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SmolVLM2's video prompt, exactly as transformers' {@code SmolVLMProcessor.process_video} writes it
 * ({@code DEFAULT_VIDEO_INTRO}, {@code FRAME_TIMESTAMP_MESSAGE}, {@code DEFAULT_MEDIA_OUTTRO} of
 * video_processing_smolvlm.py; the frame count through {@code num2words}, the duration through
 * {@code str(timedelta)}), and the answer path using it for a SmolVLM2 model.
 */
class SmolVlm2VideoPromptTest {
  /** Printed by Debian's python3-num2words 0.5.10: {@code num2words(n)} for each n. */
  private static final Map<Long, String> NUM2WORDS = new LinkedHashMap<>();

  static {
    String[] rows = {"0=zero", "1=one", "7=seven", "13=thirteen", "16=sixteen", "20=twenty", "21=twenty-one",
        "42=forty-two", "64=sixty-four", "99=ninety-nine", "100=one hundred", "101=one hundred and one",
        "115=one hundred and fifteen", "120=one hundred and twenty", "256=two hundred and fifty-six",
        "999=nine hundred and ninety-nine", "1000=one thousand", "1001=one thousand and one",
        "1099=one thousand and ninety-nine", "1100=one thousand, one hundred",
        "1120=one thousand, one hundred and twenty", "12345=twelve thousand, three hundred and forty-five",
        "100100=one hundred thousand, one hundred", "101000=one hundred and one thousand",
        "1000001=one million and one",
        "1234567=one million, two hundred and thirty-four thousand, five hundred and sixty-seven",
        "2000000100=two billion, one hundred"};
    for (String r : rows) {
      NUM2WORDS.put(Long.parseLong(r.substring(0, r.indexOf('='))), r.substring(r.indexOf('=') + 1));
    }
  }

  @Test
  void frameCountsAreWordsAsNum2wordsWritesThem() {
    NUM2WORDS.forEach((n, words) -> assertThat(EnglishNumbers.cardinal(n)).as("%d", n).isEqualTo(words));
  }

  @Test
  void durationsAreWrittenAsPythonsTimedelta() {
    // str(timedelta(seconds=s)) from Python 3
    assertThat(SmolVlmProcessor.timedelta(0)).isEqualTo("0:00:00");
    assertThat(SmolVlmProcessor.timedelta(65)).isEqualTo("0:01:05");
    assertThat(SmolVlmProcessor.timedelta(3599)).isEqualTo("0:59:59");
    assertThat(SmolVlmProcessor.timedelta(3725)).isEqualTo("1:02:05");
    assertThat(SmolVlmProcessor.timedelta(36000)).isEqualTo("10:00:00");
    assertThat(SmolVlmProcessor.timedelta(90061)).isEqualTo("1 day, 1:01:01");
    assertThat(SmolVlmProcessor.timedelta(2 * 86400)).isEqualTo("2 days, 0:00:00");
    // the duration is truncated to whole seconds (int(metadata["duration"]))
    assertThat(SmolVlmProcessor.videoIntro(16, 65_999)).isEqualTo(
        "You are provided the following series of sixteen frames from a 0:01:05 [H:MM:SS] video.\n");
    assertThat(SmolVlmProcessor.frameLabel(7_500_000)).isEqualTo("\nFrame from 125:00:");
  }

  @Test
  void smolVlm2AnswersSeeTheKeyframesAsSmolVlm2sProcessorWritesAVideo(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(7);
    rm.writeHuggingFace(dir);
    ObjectMapper om = new ObjectMapper();
    ObjectNode cfg = (ObjectNode) om.readTree(dir.resolve("config.json").toFile());
    cfg.put("model_type", "smolvlm").putArray("architectures").add("SmolVLMForConditionalGeneration");
    om.writeValue(dir.resolve("config.json").toFile(), cfg);
    RgbImage img = RgbImage.read(SmolVlmTest.png(dir, "k.png", 48, 30));
    List<SmolVlmProcessor.Picture> frames = List.of(SmolVlmProcessor.Picture.frame(img, 5_000),
        SmolVlmProcessor.Picture.frame(img, 65_400));
    String image = "<fake_token_around_image><global-img>" + "<image>".repeat(16) + "<fake_token_around_image>";
    String expected = "<|im_start|>System: Cite moments.<end_of_utterance>\n"
        + "User: You are provided the following series of two frames from a 1:02:05 [H:MM:SS] video.\n"
        + "\nFrame from 00:05:" + image + "\nFrame from 01:05:" + image + "\n\n"
        + "Speech: [00:10] hello. Question: what?<end_of_utterance>\nAssistant:";
    try (SmolVlm m = SmolVlm.load(dir, new VlmSettings(dir, 1, 400, 16))) {
      assertThat(m.isSmolVlm2()).isTrue();
      MultimodalPrompt p = m.answerPrompt("Cite moments.", "Speech: [00:10] hello. Question: what?", frames, 32,
          3_725_400);
      Tokenizer tok = m.textGenerator().tokenizer();
      List<Integer> want = new ArrayList<>(List.of(tok.bos()));
      IntStream.of(tok.encode(expected)).forEach(want::add);
      assertThat(p.ids()).containsExactly(want.stream().mapToInt(Integer::intValue).toArray());
      assertThat(p.layout().visionRanges()).extracting(PromptLayout.Range::timestampMillis)
          .containsExactly(5_000L, 65_400L);
      // without a known duration (or with SmolVLM, not SmolVLM2) the frames keep only their labels
      MultimodalPrompt unknown = m.answerPrompt("Cite moments.", "Q", frames, 32, -1);
      assertThat(unknown.ids().length).isLessThan(p.ids().length);
    }
    RandomSmolVlm.tiny(7).writeHuggingFace(dir.resolve("v1"));
    try (SmolVlm v1 = SmolVlm.load(dir.resolve("v1"), new VlmSettings(dir.resolve("v1"), 1, 400, 16))) {
      assertThat(v1.isSmolVlm2()).isFalse();
    }
  }
}
