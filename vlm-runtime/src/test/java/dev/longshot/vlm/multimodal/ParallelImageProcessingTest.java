package dev.longshot.vlm.multimodal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SmolVlmProcessor} with a {@link Parallel} (each picture resized and normalised by one of its threads, as
 * {@link SmolVlm} builds it) gives exactly the prompt of the one-at-a-time processor: ids, layout and every tile's
 * values, for split stills of several sizes and for a video; a frame without a time still fails before any work.
 */
class ParallelImageProcessingTest {
  @Test
  void parallelPicturesGiveTheSamePrompt(@TempDir Path dir) throws Exception {
    RandomSmolVlm.tiny(5).writeHuggingFace(dir);
    try (SmolVlm m = SmolVlm.load(dir, new VlmSettings(dir, 1, 4096, 16)); Parallel par = new Parallel(3)) {
      SmolVlmProcessor one = m.processor();
      SmolVlmProcessor many = new SmolVlmProcessor(m.textGenerator().tokenizer(), one.imageProcessor(),
          m.textGenerator().tokenizer().id(SmolVlmProcessor.IMAGE), par);
      SplittableRandom r = new SplittableRandom(9);
      List<SmolVlmProcessor.Picture> stills = new ArrayList<>();
      List<SmolVlmProcessor.Picture> frames = new ArrayList<>();
      int[][] sizes = {{40, 30}, {97, 61}, {20, 50}, {64, 64}, {33, 17}};
      for (int i = 0; i < sizes.length; i++) {
        RgbImage img = random(r, sizes[i][0], sizes[i][1]);
        stills.add(new SmolVlmProcessor.Picture(img, -1, true));
        frames.add(new SmolVlmProcessor.Picture(img, 1000L * i, false));
      }
      same(many.build("<image>Look. <image>What?", stills), one.build("<image>Look. <image>What?", stills));
      same(many.buildVideo("User:", frames, 9000, "Q?"), one.buildVideo("User:", frames, 9000, "Q?"));
      List<SmolVlmProcessor.Picture> untimed = new ArrayList<>(frames);
      untimed.set(3, new SmolVlmProcessor.Picture(untimed.get(3).image(), -1, false));
      assertThatThrownBy(() -> many.buildVideo("User:", untimed, 9000, "Q?")).hasMessageContaining("needs its time");
    }
  }

  private static void same(MultimodalPrompt got, MultimodalPrompt want) {
    assertThat(got.ids()).containsExactly(want.ids());
    assertThat(got.layout().visionRanges()).isEqualTo(want.layout().visionRanges());
    assertThat(got.side()).isEqualTo(want.side());
    assertThat(got.tiles()).hasSameSizeAs(want.tiles());
    for (int i = 0; i < want.tiles().size(); i++) {
      assertThat(got.tiles().get(i)).as("tile %d", i).containsExactly(want.tiles().get(i));
    }
  }

  private static RgbImage random(SplittableRandom r, int w, int h) {
    int[] rgb = new int[w * h];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = r.nextInt(1 << 24);
    }
    return new RgbImage(w, h, rgb);
  }
}
