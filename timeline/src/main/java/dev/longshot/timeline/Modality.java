package dev.longshot.timeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Where a piece of evidence came from. Serialised in lower case ({@code "asr"}, {@code "ocr"}, ...). */
public enum Modality {
  /** Speech recognised from the audio track. */
  ASR,
  /** Text read from the frames. */
  OCR,
  /** Objects detected in the frames (class, count, location, relations), written as text. */
  DET,
  /** An embedded subtitle stream or a sidecar .srt/.vtt file: a transcript better than ASR. */
  SUBTITLE;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Modality parse(String text) {
    for (Modality m : values()) {
      if (m.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("Unknown modality \"" + text + "\"; known: " + Arrays.toString(values()).toLowerCase(Locale.ROOT));
  }

  /** True for the spoken-word modalities (ASR and subtitles). */
  public boolean isSpeech() {
    return this == ASR || this == SUBTITLE;
  }
}
