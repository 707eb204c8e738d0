package dev.longshot.vlm.multimodal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny random SmolVLM written as a Hugging Face directory and as llama.cpp's model + mmproj GGUF pair: same prompt
 * ids, same logits (max |diff| <= 1e-4, F32) and the same greedy tokens, end to end from a PNG on disk; the prompt ids
 * against hand-built expectations with and without image splitting; the layout of the vision and text ranges.
 */
class SmolVlmTest {
  private static final long SEED = 99L;
  private static final int BOS = 0;
  private static final int FAKE = 4;
  private static final int IMAGE = 5;
  private static final int GLOBAL = 6;

  static Path png(Path dir, String name, int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(30, 120, 200));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.ORANGE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    Path p = dir.resolve(name);
    ImageIO.write(img, "png", p.toFile());
    return p;
  }

  private static VlmSettings settings(Path model) {
    return new VlmSettings(model, 2, 512, 16);
  }

  @Test
  void huggingFaceDirectoryAndGgufPairGiveTheSameLogitsFromAPng(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    Path hf = dir.resolve("hf");
    Path gg = dir.resolve("gguf");
    rm.writeHuggingFace(hf);
    rm.writeGgufPair(gg);
    // llama.cpp's pair has no image-processor settings; the ones beside the GGUF are used (else tower defaults)
    Files.copy(hf.resolve("preprocessor_config.json"), gg.resolve("preprocessor_config.json"));
    Path image = png(dir, "frame.png", 48, 40);
    List<SmolVlmProcessor.Picture> pics = List.of(SmolVlmProcessor.Picture.still(RgbImage.read(image)));
    String prompt = "<image>What is in the picture?";
    try (SmolVlm a = SmolVlm.load(hf, settings(hf)); SmolVlm b = SmolVlm.load(gg.resolve("model.gguf"), settings(gg))) {
      MultimodalPrompt pa = a.prompt(prompt, pics);
      MultimodalPrompt pb = b.prompt(prompt, pics);
      assertThat(pb.ids()).containsExactly(pa.ids());
      assertThat(pa.layout().visionRanges()).hasSize(5); // 2x2 tiles + global view
      List<float[]> la = new ArrayList<>();
      List<float[]> lb = new ArrayList<>();
      List<Integer> ta = new ArrayList<>();
      List<Integer> tb = new ArrayList<>();
      String textA = a.generate(pa, GenerationSettings.greedy(8), s -> { }, (t, l) -> { ta.add(t); la.add(l); });
      String textB = b.generate(pb, GenerationSettings.greedy(8), s -> { }, (t, l) -> { tb.add(t); lb.add(l); });
      assertThat(tb).as("greedy tokens, seed %d", SEED).isEqualTo(ta);
      assertThat(textB).isEqualTo(textA);
      assertThat(ta).isNotEmpty();
      for (int i = 0; i < la.size(); i++) {
        float max = 0;
        for (int v = 0; v < la.get(i).length; v++) {
          max = Math.max(max, Math.abs(la.get(i)[v] - lb.get(i)[v]));
        }
        assertThat(max).as("step %d max logit diff, seed %d", i, SEED).isLessThanOrEqualTo(1e-4f);
      }
      // the image changes the answer's logits: the vision embeddings reach the decoder
      float[] textOnly = new float[1];
      List<float[]> noImage = new ArrayList<>();
      int[] ids = pa.ids().clone();
      a.textGenerator().generate(ids, GenerationSettings.greedy(1), s -> { }, (t, l) -> noImage.add(l));
      double diff = 0;
      for (int v = 0; v < noImage.get(0).length; v++) {
        diff = Math.max(diff, Math.abs(noImage.get(0)[v] - la.get(0)[v]));
      }
      assertThat(diff).as("image embeddings vs the <image> token's own embedding").isGreaterThan(1e-2);
      assertThat(textOnly).hasSize(1);
    }
  }

  @Test
  void promptIdsMatchTheProcessorWithAndWithoutSplitting(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    rm.writeHuggingFace(dir);
    RgbImage img = RgbImage.read(png(dir, "x.png", 40, 24));
    int[] seq = IntStream.generate(() -> IMAGE).limit(16).toArray();
    try (SmolVlm m = SmolVlm.load(dir, settings(dir))) {
      int[] hi = m.textGenerator().tokenizer().encode("Hi");
      int nl = m.textGenerator().tokenizer().encode("\n")[0];
      int[] row11 = {m.textGenerator().tokenizer().id("<row_1_col_1>"), m.textGenerator().tokenizer().id("<row_1_col_2>"),
          m.textGenerator().tokenizer().id("<row_2_col_1>"), m.textGenerator().tokenizer().id("<row_2_col_2>")};
      // split: 40x24 -> longest edge 64 -> 64x38 -> grown to 64x64 -> 2x2 tiles of 32, then the global view
      List<Integer> want = new ArrayList<>(List.of(BOS));
      for (int t = 0; t < 4; t++) {
        want.add(FAKE);
        want.add(row11[t]);
        IntStream.of(seq).forEach(want::add);
        if (t % 2 == 1) {
          want.add(nl);
        }
      }
      want.add(nl);
      want.add(FAKE);
      want.add(GLOBAL);
      IntStream.of(seq).forEach(want::add);
      want.add(FAKE);
      IntStream.of(hi).forEach(want::add);
      MultimodalPrompt split = m.prompt("<image>Hi", List.of(SmolVlmProcessor.Picture.still(img)));
      assertThat(split.ids()).containsExactly(want.stream().mapToInt(Integer::intValue).toArray());
      PromptLayout l = split.layout();
      assertThat(l.visionRanges()).extracting(PromptLayout.Range::start).containsExactly(3, 21, 40, 58, 78);
      assertThat(l.visionRanges()).extracting(PromptLayout.Range::tileRow).containsExactly(0, 0, 1, 1, -1);
      assertThat(l.visionRanges()).extracting(PromptLayout.Range::tileCol).containsExactly(0, 1, 0, 1, -1);
      assertThat(l.visionRanges()).allSatisfy(r -> assertThat(r.rows() * r.cols()).isEqualTo(16));
      assertThat(l.visionRanges().get(0).cols()).isEqualTo(4);
      assertThat(l.visionTokensOf(0)).isEqualTo(80);

      // a video frame is never split and carries SmolVLM2's time label; text before it stays where it was
      MultimodalPrompt frame = m.prompt("Look:<image>Hi", List.of(SmolVlmProcessor.Picture.frame(img, 75_000)));
      int[] label = m.textGenerator().tokenizer().encode("Look:" + SmolVlmProcessor.frameLabel(75_000));
      List<Integer> want2 = new ArrayList<>(List.of(BOS));
      IntStream.of(label).forEach(want2::add);
      want2.add(FAKE);
      want2.add(GLOBAL);
      IntStream.of(seq).forEach(want2::add);
      want2.add(FAKE);
      IntStream.of(hi).forEach(want2::add);
      assertThat(SmolVlmProcessor.frameLabel(75_000)).isEqualTo("\nFrame from 01:15:");
      assertThat(frame.ids()).containsExactly(want2.stream().mapToInt(Integer::intValue).toArray());
      assertThat(frame.layout().visionRanges()).singleElement().satisfies(r -> {
        assertThat(r.timestampMillis()).isEqualTo(75_000);
        assertThat(r.isGlobalView()).isTrue();
      });
      // an image without a marker goes before the text
      MultimodalPrompt unmarked = m.prompt("Hi", List.of(SmolVlmProcessor.Picture.frame(img, 0)));
      assertThat(unmarked.layout().visionRanges()).hasSize(1);
      assertThatThrownBy(() -> m.prompt("<image><image>", List.of(SmolVlmProcessor.Picture.still(img))))
          .hasMessageContaining("2 <image> markers but only 1 images");
    }
  }

  @Test
  void answerPromptPutsTimedKeyframesFirstAndDropsWhatDoesNotFitTheContext(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    rm.writeHuggingFace(dir);
    RgbImage img = RgbImage.read(png(dir, "k.png", 64, 36));
    List<SmolVlmProcessor.Picture> frames = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      frames.add(SmolVlmProcessor.Picture.frame(img, i * 10_000L));
    }
    String text = "Speech: [00:10] hello. Question: what?";
    try (SmolVlm m = SmolVlm.load(dir, new VlmSettings(dir, 1, 400, 16))) {
      MultimodalPrompt p = m.answerPrompt("Cite moments.", text, frames.subList(0, 3), 32);
      PromptLayout l = p.layout();
      assertThat(l.visionRanges()).extracting(PromptLayout.Range::timestampMillis).containsExactly(0L, 10_000L,
          20_000L);
      assertThat(l.visionRanges()).allSatisfy(r -> assertThat(r.isGlobalView()).isTrue());
      // the retrieved text and the question come after every frame
      assertThat(l.ranges().get(l.ranges().size() - 1).modality()).isEqualTo(Modality.TEXT);
      assertThat(l.ranges().get(l.ranges().size() - 1).length()).isGreaterThan(m.textGenerator().tokenizer()
          .encode(text).length);
      // 40 frames of ~30 tokens do not fit 400 - 32: the kept ones are spread over the whole video
      MultimodalPrompt fit = m.answerPrompt("Cite moments.", text, frames, 32);
      assertThat(fit.ids().length).isLessThanOrEqualTo(400 - 32);
      List<Long> times = fit.layout().visionRanges().stream().map(PromptLayout.Range::timestampMillis).toList();
      assertThat(times.size()).isBetween(5, 39);
      assertThat(times.get(times.size() - 1)).isGreaterThan(300_000L);
      assertThatThrownBy(() -> m.answerPrompt(null, "word ".repeat(500), frames, 32))
          .hasMessageContaining("over the 400-token context");
    }
  }

  @Test
  void withSplitKeyframesTheFramesAreTiledWhenAllFitTheContextElseLeftWhole(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    rm.writeHuggingFace(dir);
    RgbImage img = RgbImage.read(png(dir, "k.png", 64, 36));
    List<SmolVlmProcessor.Picture> frames = List.of(SmolVlmProcessor.Picture.frame(img, 1_000),
        SmolVlmProcessor.Picture.frame(img, 61_000));
    for (int context : new int[] {1024, 200}) {
      VlmSettings s = new VlmSettings(dir, 1, context, 16, dev.longshot.config.KvPolicy.FULL, 1.0, 0.5,
          dev.longshot.config.KvMerge.PIVOTAL, dev.longshot.config.VlmAttention.DENSE, null,
          dev.longshot.config.VisionEncoder.JAVA, true);
      try (SmolVlm m = SmolVlm.load(dir, s)) {
        MultimodalPrompt p = m.answerPrompt("Cite moments.", "Question: what?", frames, 32);
        List<PromptLayout.Range> vision = p.layout().visionRanges();
        assertThat(p.ids().length).isLessThanOrEqualTo(context - 32);
        if (context == 1024) {
          // 64x36 -> 2x2 tiles of 32 + the global view, per frame, each tile labelled with its frame's time
          assertThat(vision).hasSize(10);
          assertThat(vision).extracting(PromptLayout.Range::tileRow).containsExactly(0, 0, 1, 1, -1, 0, 0, 1, 1, -1);
          assertThat(vision).extracting(PromptLayout.Range::timestampMillis).containsOnly(1_000L, 61_000L);
        } else {
          // split they need ~220 tokens, over 200 - 32: one global view each
          assertThat(vision).hasSize(2).allSatisfy(r -> assertThat(r.isGlobalView()).isTrue());
        }
      }
    }
  }

  @Test
  void unsplitConfigGivesOneGlobalView(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    rm.split = false;
    rm.writeHuggingFace(dir);
    try (SmolVlm m = SmolVlm.load(dir, settings(dir))) {
      MultimodalPrompt p = m.prompt("<image>Hi", List.of(SmolVlmProcessor.Picture.still(RgbImage.read(
          png(dir, "y.png", 300, 7)))));
      assertThat(p.ids()).startsWith(BOS, FAKE, GLOBAL, IMAGE);
      assertThat(p.ids()[3 + 16]).isEqualTo(FAKE);
      assertThat(p.tiles()).hasSize(1);
    }
  }

  @Test
  void badModelDirectoriesAndImagesFailWithClearMessages(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    Path hf = dir.resolve("hf");
    rm.writeHuggingFace(hf);
    Files.delete(hf.resolve("preprocessor_config.json"));
    assertThatThrownBy(() -> SmolVlm.load(hf, settings(hf))).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("preprocessor_config.json is missing");

    Path bad = dir.resolve("bad");
    rm.writeHuggingFace(bad);
    String cfg = Files.readString(bad.resolve("config.json")).replace("\"scale_factor\":2", "\"scale_factor\":4");
    Files.writeString(bad.resolve("config.json"), cfg);
    assertThatThrownBy(() -> SmolVlm.load(bad, settings(bad))).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("connector does not match").hasMessageContaining("[64, 128]")
        .hasMessageContaining("= 512");

    Path gg = dir.resolve("gg");
    rm.writeGgufPair(gg);
    Files.delete(gg.resolve("mmproj-model.gguf"));
    assertThatThrownBy(() -> SmolVlm.load(gg.resolve("model.gguf"), settings(gg)))
        .hasMessageContaining("expected exactly one mmproj*.gguf");

    Path png = png(dir, "t.png", 64, 64);
    byte[] bytes = Files.readAllBytes(png);
    Path truncated = dir.resolve("truncated.png");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> RgbImage.read(truncated)).hasMessageContaining("truncated.png");
    Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
    assertThatThrownBy(() -> RgbImage.read(text)).hasMessageContaining("not an image");

    // greyscale and 16-bit images convert
    BufferedImage grey = new BufferedImage(20, 10, BufferedImage.TYPE_USHORT_GRAY);
    grey.getRaster().setSample(3, 3, 0, 65535);
    Path g16 = dir.resolve("grey16.png");
    ImageIO.write(grey, "png", g16.toFile());
    RgbImage read = RgbImage.read(g16);
    assertThat(read.rgb()[3 * 20 + 3]).isEqualTo(0xFFFFFF);
    assertThat(read.rgb()[0]).isEqualTo(0);
  }
}
