package dev.longshot.web.api;

import dev.longshot.web.jobs.IngestJobRunner;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Ingest job status: stage, percent and ETA, or the reason a job failed. */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "Jobs", description = "Ingest job progress")
public class JobController {
  private final IngestJobRunner jobs;

  public JobController(IngestJobRunner jobs) {
    this.jobs = jobs;
  }

  @GetMapping
  @Operation(summary = "All ingest jobs, newest first")
  public List<JobDto> list() {
    return jobs.jobs().stream().map(JobDto::of).toList();
  }

  @GetMapping("/{jobId}")
  @Operation(summary = "One ingest job")
  public JobDto get(@PathVariable String jobId) {
    return jobs.job(jobId).map(JobDto::of)
        .orElseThrow(() -> ApiException.notFound("No ingest job \"" + VideoFiles.printable(jobId) + "\"; GET /api/jobs lists them"));
  }
}
