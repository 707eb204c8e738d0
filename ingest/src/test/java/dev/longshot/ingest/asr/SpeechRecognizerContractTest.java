package dev.longshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.AsrBackend;
import dev.longshot.config.ConfigChoice;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.TimedWord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpeechRecognizer} backend promises, whatever its model: its config name, ordered non-overlapping
 * {@code ASR} segments inside the audio with word times inside their segment, nothing for silence, and clear
 * failures when used after finishing or closing. Each backend that can run here extends this (whisper cannot: no
 * ggml model is available on this machine).
 */
abstract class SpeechRecognizerContractTest {
  abstract SpeechRecognizer create();

  /** Real speech: a 3 s LibriVox sentence from Debian's pocketsphinx-testdata. */
  static short[] speech() {
    return SpeechFixtures.pcm16k(SpeechFixtures.librivox().get(1).wav());
  }

  @Test
  void segmentsOfRealSpeech() {
    short[] pcm = speech();
    long audioMillis = pcm.length * 1000L / SpeechRecognizer.SAMPLE_RATE_HZ;
    try (SpeechRecognizer asr = create()) {
      assertThat(ConfigChoice.configNames(AsrBackend.class)).contains(asr.name());
      List<Segment> segments = SpeechFixtures.transcribe(asr, pcm);
      assertThat(segments).isNotEmpty();
      long prevEnd = 0;
      for (Segment s : segments) {
        assertThat(s.modality()).isEqualTo(Modality.ASR);
        assertThat(s.text()).isNotBlank();
        assertThat(s.startMillis()).isGreaterThanOrEqualTo(prevEnd);
        assertThat(s.endMillis()).isLessThanOrEqualTo(audioMillis + 100);
        assertThat(Double.isNaN(s.confidence()) || (s.confidence() >= 0 && s.confidence() <= 1)).isTrue();
        for (TimedWord w : s.words()) {
          assertThat(w.startMillis()).isBetween(s.startMillis(), s.endMillis());
          assertThat(w.endMillis()).isBetween(s.startMillis(), s.endMillis());
        }
        prevEnd = s.endMillis();
      }
    }
  }

  @Test
  void silenceGivesNoSegments() {
    try (SpeechRecognizer asr = create()) {
      assertThat(SpeechFixtures.transcribe(asr, new short[SpeechRecognizer.SAMPLE_RATE_HZ * 5])).isEmpty();
    }
  }

  @Test
  void finishedTranscriptionRejectsMoreAudio() {
    try (SpeechRecognizer asr = create(); Transcription t = asr.begin()) {
      t.finish();
      assertThatThrownBy(() -> t.accept(new short[10], 10)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closedRecognizerRejectsNewTranscriptions() {
    SpeechRecognizer asr = create();
    asr.close();
    assertThatThrownBy(asr::begin).isInstanceOf(IllegalStateException.class);
  }
}
