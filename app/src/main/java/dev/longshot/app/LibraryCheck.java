package dev.longshot.app;

import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.timeline.RecordFormatException;
import dev.longshot.timeline.RecordStore;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoId;
import dev.longshot.timeline.VideoManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up check that records and index agree (issue 12). A record and its index documents are committed by
 * two stores one after the other, so a crash between them leaves them apart; this puts them back together:
 *
 * <ul>
 *   <li>a record whose index documents are missing, from other settings or a different number of segments is
 *       indexed again from the record (the record is the source of truth; the index is derived from it);
 *   <li>index documents of a video without a record (a delete or replace cut short) are deleted, unless the
 *       index is {@linkplain EvidenceIndex#shared() shared} with other machines (their records are not here);
 *   <li>a record that cannot be read, or whose keyframe files are fewer than its manifest says, is reported and
 *       left alone (nothing is deleted that the user might still want).
 * </ul>
 */
public final class LibraryCheck {
  private static final Logger LOG = LoggerFactory.getLogger(LibraryCheck.class);

  /** What the check did; {@code problems} are one line each, naming the video. */
  public record Report(int records, int reindexed, int dropped, List<String> problems) {
    public boolean clean() {
      return reindexed == 0 && dropped == 0 && problems.isEmpty();
    }
  }

  private LibraryCheck() {}

  public static Report run(RecordStore records, EvidenceIndex index) {
    Set<String> recordIds = new HashSet<>();
    List<String> problems = new ArrayList<>();
    int reindexed = 0;
    for (String id : recordDirs(records.root())) {
      Optional<VideoManifest> m;
      List<Segment> segments;
      try {
        m = records.manifest(id);
        if (m.isEmpty()) {
          continue; // a directory without a manifest is not a record (never published)
        }
        segments = records.segments(id);
      } catch (RecordFormatException | UncheckedIOException e) {
        problems.add("video " + id + ": record unreadable (" + e.getMessage() + "); re-ingest or delete it");
        recordIds.add(id); // keep its index documents: the record may be repairable
        continue;
      }
      recordIds.add(id);
      int keyframes = countKeyframes(records.root().resolve(id).resolve(RecordStore.KEYFRAMES));
      if (keyframes < m.get().keyframeCount()) {
        problems.add("video " + id + ": " + keyframes + " of " + m.get().keyframeCount() + " keyframe files present");
      }
      long indexable = segments.stream().filter(seg -> !seg.text().isBlank()).count();
      if (!index.contains(id, m.get().settingsFingerprint()) || index.segmentCount(id) != indexable) {
        index.replaceVideo(m.get(), segments);
        reindexed++;
        LOG.warn("Library check: video {} ({}) was not fully indexed; indexed it again from its record", id, m.get().fileName());
      }
    }
    int dropped = 0;
    // A shared index (SolrCloud) also holds the videos other machines ingested, with their records elsewhere.
    for (String id : index.shared() ? List.<String>of() : index.videoIds()) {
      if (!recordIds.contains(id)) {
        index.deleteVideo(id);
        dropped++;
        LOG.warn("Library check: index documents of video {} had no record; removed them", id);
      }
    }
    problems.forEach(p -> LOG.warn("Library check: {}", p));
    return new Report(recordIds.size(), reindexed, dropped, List.copyOf(problems));
  }

  private static List<String> recordDirs(Path root) {
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, p -> VideoId.isValid(p.getFileName().toString()))) {
      dirs.forEach(d -> ids.add(d.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list records in " + root + ": " + e.getMessage(), e);
    }
    return ids;
  }

  private static int countKeyframes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var files = Files.list(dir)) {
      return (int) files.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      return 0;
    }
  }
}
