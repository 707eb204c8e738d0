package dev.longshot.retrieval.index;

import dev.longshot.retrieval.Fixtures;
import dev.longshot.retrieval.HashingTextEmbedder;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Child process for {@link IndexDurabilityTest}: indexes videos of {@value #SEGMENTS} segments one after another
 * forever, printing {@code committed <id>} after each commit, until it is killed.
 */
public final class IndexingChild {
  static final int SEGMENTS = 400;

  private IndexingChild() {}

  public static void main(String[] args) {
    try (EvidenceIndex index = LuceneEvidenceIndex.open(Path.of(args[0]), new HashingTextEmbedder(256), Fixtures.settings())) {
      for (long v = 1; ; v++) {
        String id = HexFormat.of().toHexDigits(v);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
          segments.add(Fixtures.seg(Modality.ASR, i * 5, i * 5 + 5, "video " + v + " sentence " + i + " about rivers and sensors"));
        }
        index.replaceVideo(Fixtures.manifest(id, "fp"), segments);
        System.out.println("committed " + id);
        System.out.flush();
      }
    }
  }
}
