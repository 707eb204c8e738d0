package dev.longshot.config;

import java.util.Objects;

/**
 * All of Longshot's settings, one record per module section. Build it with {@link ConfigLoader}; every
 * section has already validated itself, so holders of a {@code LongshotConfig} can trust its values.
 */
public record LongshotConfig(
    DataSettings data,
    IngestSettings ingest,
    AsrSettings asr,
    OcrSettings ocr,
    DetectorSettings detector,
    EmbeddingSettings embeddings,
    RetrievalSettings retrieval,
    IndexSettings index,
    AnswerSettings answer,
    VlmSettings vlm,
    ServerSettings server) {
  public LongshotConfig {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(asr, "asr");
    Objects.requireNonNull(ocr, "ocr");
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(embeddings, "embeddings");
    Objects.requireNonNull(retrieval, "retrieval");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(vlm, "vlm");
    Objects.requireNonNull(server, "server");
  }

  /** The defaults from {@code longshot-defaults.yaml} plus environment overrides, no user file. */
  public static LongshotConfig defaults() {
    return ConfigLoader.load(null, System.getenv());
  }
}
