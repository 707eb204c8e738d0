package dev.longshot.vlm.multimodal;

/** What a run of prompt tokens carries: text embeddings, or vision embeddings spliced in by the connector. */
public enum Modality {
  TEXT,
  VISION
}
