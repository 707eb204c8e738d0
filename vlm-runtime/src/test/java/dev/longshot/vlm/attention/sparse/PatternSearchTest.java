package dev.longshot.vlm.attention.sparse;

import dev.longshot.vlm.multimodal.Modality;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.vlm.attention.sparse.SparseKernelTest.Head;
import dev.longshot.vlm.attention.sparse.VerticalSlashPattern.Boundary;
import dev.longshot.vlm.bench.PlantedHead;
import dev.longshot.vlm.tensor.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline search on synthetic queries and keys with planted structure (seeds printed): it recovers a planted
 * grid's stride, phase and h-lines, and prefers per-modality vertical-slash (Q-boundary) where the two modalities
 * look at different columns. Plus the pattern file: round trip and refusal for another model.
 */
class PatternSearchTest {
  private static final long SEED = 1717L;
  /** Scaled-down knobs so the planted prompts stay small. */
  static final PatternSearch.Space SMALL = new PatternSearch.Space(64, 16, 128, 70, 50, 100, 64);
  private static Parallel par;

  @BeforeAll
  static void start() {
    par = new Parallel(2);
  }

  @AfterAll
  static void stop() {
    par.close();
  }

  /**
   * Every query leans towards the grid-line keys ({@code j - vs = phase mod stride}); queries on the grid lines are
   * near zero, so they spread their attention over every key (h-lines). The benchmark's {@link PlantedHead} plants it.
   */
  static Head plantedGrid(SplittableRandom r, ModalityLayout layout, int stride, int phase) {
    int d = 16;
    Head h = Head.random(r, layout.length(), d, 0);
    PlantedHead.plantGrid(layout, stride, phase, PlantedHead.direction(r, d, 5), h.q(), h.k(), d);
    return h;
  }

  @Test
  void searchRecoversStridePhaseAndLinesOfAPlantedGrid() {
    for (int phase : new int[] {0, 1}) {
      long seed = SEED + phase;
      SplittableRandom r = new SplittableRandom(seed);
      int stride = 8;
      ModalityLayout layout = ModalityLayout.video(20, 3, 4 * stride * 12, stride, 30);
      Head h = plantedGrid(r, layout, stride, phase);
      PatternSearch search = new PatternSearch(SMALL, par);
      search.add(0, 0, h.input(0), layout.length(), layout);
      AttentionPatterns.Entry chosen = search.choose().get(AttentionPatterns.key(0, 0));
      assertThat(chosen.pattern()).as("seed %d recalls %s", seed, search.recalls(0, 0))
          .isEqualTo(new GridPattern(stride, phase, true, SMALL.gridLocal()));
      assertThat(chosen.recall()).as("seed %d", seed).isGreaterThan(0.95);
      double wrongShift = search.recalls(0, 0).get(new GridPattern(stride, phase == 0 ? 1 : 0, true, 64));
      assertThat(chosen.recall() - wrongShift).as("seed %d: the wrong shift scores clearly lower", seed)
          .isGreaterThan(0.2);
    }
  }

  @Test
  void qBoundaryBeatsOneVerticalSlashWhenModalitiesLookAtDifferentColumns() {
    SplittableRandom r = new SplittableRandom(SEED + 7);
    ModalityLayout layout = ModalityLayout.interleaved(4, 120, 200, 10);
    int n = layout.length();
    int d = 16;
    Head h = Head.random(r, n, d, 0);
    float[] ua = PlantedHead.direction(r, d, 6);
    float[] ub = PlantedHead.direction(r, d, 6);
    for (Modality m : Modality.values()) {
      float[] u = m == Modality.TEXT ? ua : ub;
      int planted = 0;
      while (planted < 40) { // 40 "vertical" keys per modality, past the 30 forced first columns
        int j = 30 + r.nextInt(n - 200);
        if (layout.modalityAt(j) == m && h.k()[j * d] < 50) {
          for (int x = 0; x < d; x++) {
            h.k()[j * d + x] += u[x];
          }
          h.k()[j * d] += 100; // marks it planted; the query component 0 is zeroed below
          planted++;
        }
      }
      for (int i = 0; i < n; i++) {
        if (layout.modalityAt(i) == m) {
          for (int x = 0; x < d; x++) {
            h.q()[i][x] = h.q()[i][x] * 0.3f + u[x];
          }
          h.q()[i][0] = 0;
        }
      }
    }
    PatternSearch search = new PatternSearch(SMALL, par);
    search.add(0, 0, h.input(0), n, layout);
    Map<HeadPattern, Double> recalls = search.recalls(0, 0);
    double none = recalls.get(new VerticalSlashPattern(70, 100, 64, Boundary.NONE));
    double q = recalls.get(new VerticalSlashPattern(70, 100, 64, Boundary.QUERY));
    assertThat(q - none).as("seed %d recalls %s", SEED + 7, recalls).isGreaterThan(PatternSearch.MIN_DELTA);
    HeadPattern chosen = search.choose().get(AttentionPatterns.key(0, 0)).pattern();
    assertThat(((VerticalSlashPattern) chosen).boundary()).as("seed %d", SEED + 7).isNotEqualTo(Boundary.NONE);
  }

  /**
   * With a recall target the vertical-slash budget is a ladder: the search keeps the smallest rung whose recall
   * reaches the target (not the first budget, which misses it, nor the largest), and stores the target with it.
   */
  @Test
  void recallTargetPicksTheSmallestVerticalSlashBudgetThatReachesIt() {
    int n = 2048;
    BlockSparseKernel.HeadInput in = PlantedHead.bandWithColumns(SEED, n).in();
    double target = 0.995;
    PatternSearch.Space space = new PatternSearch.Space(64, 16, 128, 30, 50, 100, 64, target, 4);
    PatternSearch search = new PatternSearch(space, par);
    search.add(0, 0, in, n, ModalityLayout.text(n));
    Map<HeadPattern, Double> recalls = search.recalls(0, 0);
    AttentionPatterns.Entry chosen = search.choose().get(AttentionPatterns.key(0, 0));
    assertThat(chosen.pattern()).as("seed %d recalls %s", SEED, recalls).isInstanceOf(VerticalSlashPattern.class);
    VerticalSlashPattern vs = (VerticalSlashPattern) chosen.pattern();
    assertThat(vs.targetRecall()).isEqualTo(target);
    assertThat(chosen.recall()).as("seed %d recalls %s", SEED, recalls).isGreaterThanOrEqualTo(target);
    assertThat(recalls.get(new VerticalSlashPattern(30, 50, 64, Boundary.NONE))).as("the first rung misses")
        .isLessThan(target);
    VerticalSlashPattern smaller = new VerticalSlashPattern(vs.v() / 2, vs.s() / 2, 64, Boundary.NONE);
    if (vs.s() > 100) { // the rung below the chosen one missed the target
      assertThat(recalls.get(smaller)).as("seed %d recalls %s", SEED, recalls).isLessThan(target);
    }
    assertThat(vs.s()).as("not the largest rung (seed %d, recalls %s)", SEED, recalls).isLessThan(100 << 4);
  }

  @Test
  void patternFileRoundTripsAndRefusesAnotherModel(@TempDir Path dir) throws Exception {
    Map<Long, AttentionPatterns.Entry> e = Map.of(
        AttentionPatterns.key(0, 1), new AttentionPatterns.Entry(new GridPattern(14, 13, true, 1024), 0.97),
        AttentionPatterns.key(1, 0), new AttentionPatterns.Entry(new AShapePattern(128, 4096), 0.9),
        AttentionPatterns.key(1, 2), new AttentionPatterns.Entry(new VerticalSlashPattern(1000, 2048, 64,
            Boundary.QUERY_KEY), 0.8),
        AttentionPatterns.key(1, 1), new AttentionPatterns.Entry(new VerticalSlashPattern(2000, 4096, 64,
            Boundary.NONE, 0.99), 0.991));
    Path file = dir.resolve("patterns.json");
    new AttentionPatterns("sha256:00aa", 2, 3, e).write(file);
    AttentionPatterns back = AttentionPatterns.read(file, "sha256:00aa", 2, 3);
    assertThat(back.entries()).isEqualTo(e);
    assertThat(back.patternOf(0, 0)).isEqualTo(new DensePattern());
    Path v1 = dir.resolve("v1.json"); // a version 1 file (no target-recall) still reads, with fixed budgets
    Files.writeString(v1, Files.readString(file).replace("\"version\" : 2", "\"version\" : 1")
        .replace("\"target-recall\" : 0.99,", ""));
    assertThat(AttentionPatterns.read(v1, "sha256:00aa", 2, 3).patternOf(1, 1))
        .isEqualTo(new VerticalSlashPattern(2000, 4096, 64, Boundary.NONE));
    Files.writeString(v1, Files.readString(file).replace("\"version\" : 2", "\"version\" : 3"));
    assertThatThrownBy(() -> AttentionPatterns.read(v1, "sha256:00aa", 2, 3)).hasMessageContaining("version 3");
    assertThatThrownBy(() -> AttentionPatterns.read(file, "sha256:11bb", 2, 3))
        .hasMessageContaining("sha256:00aa").hasMessageContaining("sha256:11bb");
    assertThatThrownBy(() -> AttentionPatterns.read(file, "sha256:00aa", 2, 4)).hasMessageContaining("2 x 4");
    Files.writeString(file, Files.readString(file).replace("\"grid\"", "\"spiral\""));
    assertThatThrownBy(() -> AttentionPatterns.read(file, "sha256:00aa", 2, 3))
        .hasMessageContaining("layer 0 head 1").hasMessageContaining("spiral");
  }
}
