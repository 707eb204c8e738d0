package dev.longshot.web.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.web.FakeLongshotService;
import dev.longshot.web.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job runner over {@link FakeLongshotService} (a stand-in that records videos without decoding them), so
 * restart, failure and queue-limit behaviour can be driven exactly.
 */
class IngestJobRunnerTest {
  @TempDir Path dir;

  private IngestJobRunner runner(FakeLongshotService service, int queueLimit) {
    return new IngestJobRunner(service, new JobStore(dir.resolve("jobs")), 1, queueLimit, Clock.systemUTC());
  }

  private IngestJob awaitFinal(IngestJobRunner runner, String id) {
    return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> runner.job(id).orElseThrow(), j -> j.state().isFinal());
  }

  @Test
  void jobSucceedsAndItsStateIsPersisted() throws Exception {
    FakeLongshotService service = new FakeLongshotService(dir);
    Path video = Files.write(dir.resolve("a.mp4"), TestVideos.mp4("a"));
    try (IngestJobRunner runner = runner(service, 4)) {
      IngestJob job = runner.submit(JobSource.PATH, video, "a.mp4", null);
      IngestJob done = awaitFinal(runner, job.id());
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.percent()).isEqualTo(100);
      assertThat(done.videoId()).matches("[0-9a-f]{16}");
    }
    assertThat(new JobStore(dir.resolve("jobs")).loadAll()).singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
  }

  @Test
  void interruptedJobsAreResumedWhenTheFileExistsAndFailedWithTheReasonWhenNot() throws Exception {
    JobStore store = new JobStore(dir.resolve("jobs"));
    Path present = Files.write(dir.resolve("present.mp4"), TestVideos.mp4("present"));
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    store.save(IngestJob.queued("running-1", JobSource.UPLOAD, present.toString(), "present.mp4", null, t).running("ocr", 40, 10L, "", t));
    store.save(IngestJob.queued("queued-2", JobSource.PATH, dir.resolve("gone.mp4").toString(), "gone.mp4", null, t.plusSeconds(1)));
    try (IngestJobRunner runner = runner(new FakeLongshotService(dir), 4)) {
      runner.recover();
      IngestJob resumed = awaitFinal(runner, "running-1");
      assertThat(resumed.state()).isEqualTo(JobState.SUCCEEDED);
      IngestJob lost = runner.job("queued-2").orElseThrow();
      assertThat(lost.state()).isEqualTo(JobState.FAILED);
      assertThat(lost.error().kind()).isEqualTo("INTERRUPTED");
      assertThat(lost.error().detail()).contains("gone.mp4").contains("restart");
      assertThat(runner.jobs()).extracting(IngestJob::id).containsExactly("queued-2", "running-1");
    }
  }

  @Test
  void aJobCutOffByShutdownIsResumedByTheNextRunner() throws Exception {
    Path video = Files.write(dir.resolve("slow-restart.mp4"), TestVideos.mp4("restart"));
    String id;
    try (IngestJobRunner first = runner(new FakeLongshotService(dir), 4)) {
      id = first.submit(JobSource.UPLOAD, video, "slow-restart.mp4", null).id();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> first.job(id).orElseThrow().state() == JobState.RUNNING);
    } // closing interrupts the ingest; the job must stay RUNNING on disk, not turn FAILED
    assertThat(new JobStore(dir.resolve("jobs")).loadAll()).singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.RUNNING));
    FakeLongshotService afterRestart = new FakeLongshotService(dir);
    afterRestart.releaseSlow();
    try (IngestJobRunner second = runner(afterRestart, 4)) {
      second.recover();
      IngestJob done = awaitFinal(second, id);
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.createdAt()).isEqualTo(new JobStore(dir.resolve("jobs")).loadAll().getFirst().createdAt());
    }
  }

  @Test
  void failureKeepsKindStatusAndMessage() throws Exception {
    Path video = Files.write(dir.resolve("corrupt.mp4"), TestVideos.mp4("c"));
    try (IngestJobRunner runner = runner(new FakeLongshotService(dir), 4)) {
      IngestJob done = awaitFinal(runner, runner.submit(JobSource.PATH, video, "corrupt.mp4", null).id());
      assertThat(done.state()).isEqualTo(JobState.FAILED);
      assertThat(done.error()).isEqualTo(new JobError("CORRUPT", 422, "corrupt.mp4 is damaged: the decoder found no readable frames"));
      assertThat(video).exists(); // only uploads are removed on failure, never a user's own file
    }
  }

  @Test
  void refusesMoreThanWorkersPlusQueueLimit() throws Exception {
    FakeLongshotService service = new FakeLongshotService(dir);
    try (IngestJobRunner runner = runner(service, 1)) {
      IngestJob first = runner.submit(JobSource.PATH, Files.write(dir.resolve("slow-1.mp4"), TestVideos.mp4("1")), "slow-1.mp4", null);
      runner.submit(JobSource.PATH, Files.write(dir.resolve("slow-2.mp4"), TestVideos.mp4("2")), "slow-2.mp4", null);
      Path third = Files.write(dir.resolve("slow-3.mp4"), TestVideos.mp4("3"));
      assertThatThrownBy(() -> runner.submit(JobSource.PATH, third, "slow-3.mp4", null))
          .isInstanceOf(QueueFullException.class).hasMessageContaining("queue is full");
      service.releaseSlow();
      assertThat(awaitFinal(runner, first.id()).state()).isEqualTo(JobState.SUCCEEDED);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> runner.jobs().stream().allMatch(j -> j.state().isFinal()));
      assertThat(runner.submit(JobSource.PATH, third, "slow-3.mp4", null).state()).isEqualTo(JobState.QUEUED);
    }
  }

  @Test
  void aFailedSaveReleasesTheQueueSlot() throws Exception {
    FakeLongshotService service = new FakeLongshotService(dir);
    Path jobs = dir.resolve("jobs");
    try (IngestJobRunner runner = new IngestJobRunner(service, new JobStore(jobs), 1, 0, Clock.systemUTC())) {
      Path video = Files.write(dir.resolve("a.mp4"), TestVideos.mp4("a"));
      Files.delete(jobs);
      Files.writeString(jobs, "not a directory"); // every save now fails
      assertThatThrownBy(() -> runner.submit(JobSource.PATH, video, "a.mp4", null)).isInstanceOf(java.io.UncheckedIOException.class);
      Files.delete(jobs);
      Files.createDirectories(jobs);
      assertThat(runner.inFlight()).isZero();
      IngestJob job = runner.submit(JobSource.PATH, video, "a.mp4", null); // the only slot is free again
      assertThat(awaitFinal(runner, job.id()).state()).isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Test
  void anErrorEndsTheJobFailedWithItsKindAndFreesTheSlot() throws Exception {
    FakeLongshotService service = new FakeLongshotService(dir);
    try (IngestJobRunner runner = new IngestJobRunner(service, new JobStore(dir.resolve("jobs")), 1, 0, Clock.systemUTC())) {
      Path oom = Files.write(dir.resolve("oom.mp4"), TestVideos.mp4("oom"));
      IngestJob failed = awaitFinal(runner, runner.submit(JobSource.PATH, oom, "oom.mp4", null).id());
      assertThat(failed.state()).isEqualTo(JobState.FAILED);
      assertThat(failed.error().kind()).isEqualTo("INTERNAL_ERROR");
      assertThat(failed.error().detail()).contains("OutOfMemoryError").contains("oom.mp4");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> runner.inFlight() == 0);
      Path ok = Files.write(dir.resolve("ok.mp4"), TestVideos.mp4("ok"));
      assertThat(awaitFinal(runner, runner.submit(JobSource.PATH, ok, "ok.mp4", null).id()).state()).isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Test
  void aJobPastItsTimeLimitIsFailedWithKindTimeoutAndItsWorkerStopped() throws Exception {
    FakeLongshotService service = new FakeLongshotService(dir); // "slow" waits for a release that never comes
    try (IngestJobRunner runner = new IngestJobRunner(service, new JobStore(dir.resolve("jobs")), 1, 0, Clock.systemUTC(),
        Duration.ofMillis(200))) {
      Path slow = Files.write(dir.resolve("slow-forever.mp4"), TestVideos.mp4("forever"));
      IngestJob failed = awaitFinal(runner, runner.submit(JobSource.PATH, slow, "slow-forever.mp4", null).id());
      assertThat(failed.error().kind()).isEqualTo("TIMEOUT");
      assertThat(failed.error().detail()).contains("server.job-timeout");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> runner.inFlight() == 0);
    }
    assertThat(IngestJobRunner.defaultTimeout(Duration.ofMinutes(6))).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void errorsShownThroughTheApiNameNoServerPaths() throws Exception {
    Path video = Files.write(dir.resolve("leaky.mp4"), TestVideos.mp4("leaky"));
    try (IngestJobRunner runner = runner(new FakeLongshotService(dir), 4)) {
      IngestJob done = awaitFinal(runner, runner.submit(JobSource.PATH, video, "leaky.mp4", null).id());
      assertThat(done.error().kind()).isEqualTo("UNREADABLE");
      assertThat(done.error().detail()).isEqualTo("cannot read leaky.mp4: model model.onnx failed");
      assertThat(done.message()).doesNotContain(dir.toString()).doesNotContain("/opt/");
    }
    assertThat(ErrorText.withoutPaths("truncated: /data/u/ab/x.mp4 (stopped at 0:30 / 1:00), see C:\\m\\y.bin", null))
        .isEqualTo("truncated: x.mp4 (stopped at 0:30 / 1:00), see y.bin");
  }

  @Test
  void rejectsNonsenseSizes() {
    FakeLongshotService service = new FakeLongshotService(dir);
    JobStore store = new JobStore(dir.resolve("jobs"));
    assertThatThrownBy(() -> new IngestJobRunner(service, store, 0, 1, Clock.systemUTC())).hasMessageContaining("0");
  }
}
