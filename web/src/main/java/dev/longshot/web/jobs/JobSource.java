package dev.longshot.web.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the video of an ingest job arrived; in JSON (the API and the job files) the lower-case name. */
public enum JobSource {
  /** Uploaded through {@code POST /api/ingest/upload}; the stored file may be removed when the job fails. */
  UPLOAD,
  /** A server path under {@code server.allowed-roots}, {@code POST /api/ingest/path}. */
  PATH,
  /** A video ingested again from its recorded file, {@code POST /api/videos/{id}/reingest}. */
  REINGEST;

  /** The name on the wire and in job files: {@code upload}, {@code path}, {@code reingest}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
