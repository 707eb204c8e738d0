package dev.longshot.index.solr;

import static dev.longshot.retrieval.Fixtures.lecture;
import static dev.longshot.retrieval.Fixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.SolrSettings;
import dev.longshot.retrieval.Fixtures;
import dev.longshot.retrieval.index.EvidenceIndexContract;
import dev.longshot.retrieval.search.SearchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 19 item 6: with replication factor 2, stop one node while one thread asks and another ingests. Queries
 * must keep answering; every video is whole or absent; an ingest that failed says why in one line naming the
 * address and succeeds when re-run. The default run writes {@value #DEFAULT_VIDEOS} videos after the stop; {@code
 * -Dlongshot.solr.fault.videos=N} makes the long run (index-solr/README.md).
 */
final class SolrFaultRun {
  static final int DEFAULT_VIDEOS = 4;
  private static final int NODE = 1;

  private SolrFaultRun() {}

  static int videosFromProperty() {
    return Integer.getInteger("longshot.solr.fault.videos", DEFAULT_VIDEOS);
  }

  static void run(SolrCloudProcess cluster, SolrSettings settings, int videosAfterStop) throws Exception {
    try (SolrEvidenceIndex index = SolrEvidenceIndex.open(settings, EvidenceIndexContract.EMBEDDER, Fixtures.settings())) {
      List<String> videos = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String v = id(i);
        index.replaceVideo(manifest(v, "fp"), lecture());
        videos.add(v);
      }
      AtomicBoolean stopped = new AtomicBoolean();
      AtomicBoolean ingestDone = new AtomicBoolean();
      AtomicInteger answered = new AtomicInteger();
      ConcurrentLinkedQueue<String> queryErrors = new ConcurrentLinkedQueue<>();
      Map<String, String> ingestErrors = new LinkedHashMap<>();
      CountDownLatch ingesting = new CountDownLatch(1);

      Thread asker = new Thread(() -> {
        while (!ingestDone.get()) {
          try {
            if (!index.search(SearchRequest.of("what does the learning rate control", 5)).isEmpty()) {
              answered.incrementAndGet();
            } else {
              queryErrors.add("no hits");
            }
          } catch (RuntimeException e) {
            queryErrors.add(e.getMessage());
          }
        }
      }, "fault-asker");
      Thread ingester = new Thread(() -> {
        int after = 0;
        for (int i = 2; i < 2 + 1000 && after < videosAfterStop; i++) {
          String v = id(i);
          boolean afterStop = stopped.get();
          try {
            synchronized (videos) {
              videos.add(v);
            }
            ingesting.countDown();
            index.replaceVideo(manifest(v, "fp"), lecture());
          } catch (RuntimeException e) {
            synchronized (ingestErrors) {
              ingestErrors.put(v, e.getMessage());
            }
          }
          after += afterStop ? 1 : 0;
        }
        ingestDone.set(true);
      }, "fault-ingester");
      asker.start();
      ingester.start();
      assertThat(ingesting.await(60, TimeUnit.SECONDS)).isTrue();
      cluster.stopNode(NODE);
      stopped.set(true);
      ingester.join(TimeUnit.MINUTES.toMillis(5));
      ingestDone.set(true);
      asker.join(TimeUnit.MINUTES.toMillis(2));

      System.out.printf("fault run: %d answers, %d query errors, %d videos written, %d ingest errors%n", answered.get(),
          queryErrors.size(), videos.size(), ingestErrors.size());
      ingestErrors.forEach((v, e) -> System.out.println("  ingest of " + v + " failed: " + e));
      assertThat(queryErrors).as("queries while a node stops").isEmpty();
      assertThat(answered.get()).isPositive();
      for (String e : ingestErrors.values()) {
        assertThat(e).doesNotContain("\n").contains(SolrConnection.address(settings));
      }
      int whole = lecture().size();
      for (String v : videos) {
        assertThat(index.segmentCount(v)).as("video %s is whole or absent", v).isIn(0, whole);
      }
      for (String v : ingestErrors.keySet()) {
        index.replaceVideo(manifest(v, "fp"), lecture()); // the re-run
      }
      for (String v : videos) {
        assertThat(index.contains(v, "fp")).as(v).isTrue();
        assertThat(index.segmentCount(v)).as(v).isEqualTo(whole);
      }
    }
  }

  private static String id(int i) {
    return String.format("fa017000%08x", i);
  }
}
