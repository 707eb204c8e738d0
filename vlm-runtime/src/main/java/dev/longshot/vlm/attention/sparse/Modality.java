package dev.longshot.vlm.attention.sparse;

/** What a prompt token encodes. */
public enum Modality {
  TEXT,
  VISION
}
