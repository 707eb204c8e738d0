package dev.longshot.web.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestException.Kind;
import org.junit.jupiter.api.Test;

class JobErrorTest {
  private static JobError of(Kind kind) {
    return JobError.of(new IngestException(kind, "why"));
  }

  /** The statuses the API has always given; a failure inside Longshot is reported as FAILED. */
  @Test
  void everyIngestKindHasItsStatus() {
    assertThat(of(Kind.NOT_FOUND)).isEqualTo(new JobError("NOT_FOUND", 404, "why"));
    assertThat(of(Kind.UNREADABLE)).isEqualTo(new JobError("UNREADABLE", 422, "why"));
    assertThat(of(Kind.EMPTY)).isEqualTo(new JobError("EMPTY", 400, "why"));
    assertThat(of(Kind.NOT_MEDIA)).isEqualTo(new JobError("NOT_MEDIA", 415, "why"));
    assertThat(of(Kind.CORRUPT)).isEqualTo(new JobError("CORRUPT", 422, "why"));
    assertThat(of(Kind.UNSUPPORTED_CODEC)).isEqualTo(new JobError("UNSUPPORTED_CODEC", 415, "why"));
    assertThat(of(Kind.ZERO_DURATION)).isEqualTo(new JobError("ZERO_DURATION", 422, "why"));
    assertThat(of(Kind.TOO_LARGE)).isEqualTo(new JobError("TOO_LARGE", 413, "why"));
    assertThat(of(Kind.INTERNAL)).isEqualTo(new JobError("FAILED", 500, "why"));
  }
}
