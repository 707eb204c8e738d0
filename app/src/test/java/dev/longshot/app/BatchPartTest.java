package dev.longshot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchPartTest {
  @TempDir Path tmp;

  @Test
  void partsSplitTheFilesByContentWithoutOverlapAndIgnoreTheirPaths() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Path f = tmp.resolve("v" + i + ".mp4");
      Files.writeString(f, "video content " + i);
      files.add(f);
    }
    Set<Path> seen = new HashSet<>();
    int nonEmpty = 0;
    for (int i = 1; i <= 3; i++) {
      List<Path> mine = BatchPart.parse(i + "/3").select(files);
      for (Path p : mine) {
        assertThat(seen.add(p)).as("%s in two parts", p).isTrue();
      }
      nonEmpty += mine.isEmpty() ? 0 : 1;
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(files);
    assertThat(nonEmpty).isEqualTo(3);

    // the same content under another name (another machine's mount) lands in the same part
    Path renamed = Files.createDirectories(tmp.resolve("elsewhere")).resolve("renamed.mkv");
    Files.writeString(renamed, "video content 7");
    for (int i = 1; i <= 3; i++) {
      BatchPart part = BatchPart.parse(i + "/3");
      assertThat(part.select(List.of(renamed)).isEmpty()).isEqualTo(part.select(List.of(files.get(7))).isEmpty());
    }
  }

  @Test
  void theWholeBatchIsOnePart() {
    assertThat(BatchPart.ALL.select(List.of(tmp.resolve("missing.mp4")))).hasSize(1);
    assertThat(BatchPart.parse(" 1/1 ")).isEqualTo(BatchPart.ALL);
  }

  @Test
  void badPartsAreRefusedWithTheValue() {
    for (String bad : List.of("0/3", "4/3", "3", "a/b", "1/0", "-1/2", "")) {
      assertThatThrownBy(() -> BatchPart.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--part");
    }
    assertThatThrownBy(() -> BatchPart.parse("4/3")).hasMessageContaining("4/3");
  }
}
