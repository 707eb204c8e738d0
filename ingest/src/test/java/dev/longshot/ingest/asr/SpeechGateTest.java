package dev.longshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.ingest.MediaFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The music/noise gate on generated audio, utterance by utterance as {@link UtteranceSplitter} cuts it: real speech
 * (LibriVox, flite's voices in the sample lecture and three more), also under music or noise 10 or 5 dB below it,
 * must all be decoded (under a background as loud as the speech, at least 95 % of it); synthetic music (a chord, a plucked melody, the two with drum hits) and noise (white,
 * pink, brown) must not.
 */
class SpeechGateTest {
  @TempDir static Path dir;
  static final Map<String, short[]> BACKGROUNDS = new LinkedHashMap<>();

  @BeforeAll
  static void makeBackgrounds() throws Exception {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("chord", "aevalsrc=0.2*sin(2*PI*261.6*t)+0.2*sin(2*PI*329.6*t)+0.2*sin(2*PI*392*t):d=20:s=16000");
    sources.put("melody", "aevalsrc=0.4*sin(2*PI*(220*pow(2\\,floor(mod(t*4\\,8))/6))*t)*exp(-3*mod(t\\,0.25)):d=20:s=16000");
    sources.put("drums", "anoisesrc=c=white:a=0.5:d=20:r=16000:seed=14,volume=volume='exp(-20*mod(t\\,0.5))':eval=frame");
    sources.put("white", "anoisesrc=c=white:a=0.2:d=20:r=16000:seed=14");
    sources.put("pink", "anoisesrc=c=pink:a=0.3:d=20:r=16000:seed=14");
    sources.put("brown", "anoisesrc=c=brown:a=0.5:d=20:r=16000:seed=14");
    for (var e : sources.entrySet()) {
      Path wav = dir.resolve(e.getKey() + ".wav");
      MediaFixtures.ffmpeg("-f", "lavfi", "-i", e.getValue(), "-ar", "16000", "-ac", "1", wav.toString());
      BACKGROUNDS.put(e.getKey(), SpeechFixtures.pcm16k(wav));
    }
    short[] band = new short[BACKGROUNDS.get("chord").length];
    for (int i = 0; i < band.length; i++) {
      band[i] = clip(BACKGROUNDS.get("chord")[i] + BACKGROUNDS.get("melody")[i] + BACKGROUNDS.get("drums")[i]);
    }
    BACKGROUNDS.put("band", band);
  }

  private static short clip(double v) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
  }

  /** {@code speech} plus {@code background} (looped) scaled to {@code snrDb} below the speech's RMS. */
  private static short[] mix(short[] speech, short[] background, double snrDb) {
    double gain = rms(speech) / rms(background) / Math.pow(10, snrDb / 20);
    short[] out = new short[speech.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = clip(speech[i] + gain * background[i % background.length]);
    }
    return out;
  }

  private static double rms(short[] a) {
    double s = 0;
    for (short v : a) {
      s += (double) v * v;
    }
    return Math.sqrt(s / a.length);
  }

  /** The utterances the splitter cuts from {@code pcm} (fed in 0.5 s chunks), long enough for the gate to judge. */
  private static List<short[]> utterances(short[] pcm) {
    List<short[]> out = new ArrayList<>();
    UtteranceSplitter splitter = new UtteranceSplitter((start, samples) -> out.add(samples));
    for (int i = 0; i < pcm.length; i += 8_000) {
      short[] chunk = java.util.Arrays.copyOfRange(pcm, i, Math.min(pcm.length, i + 8_000));
      splitter.accept(chunk, chunk.length);
    }
    splitter.finish();
    return out.stream().filter(u -> u.length >= SpeechGate.MIN_FRAMES * UtteranceSplitter.FRAME).toList();
  }

  private static Map<String, short[]> speech() throws Exception {
    Map<String, short[]> s = new LinkedHashMap<>();
    for (SpeechFixtures.Utterance u : SpeechFixtures.librivox()) {
      s.put(u.wav().getFileName().toString(), SpeechFixtures.pcm16k(u.wav()));
    }
    s.put("lecture", SpeechFixtures.pcm16k(SpeechFixtures.sampleMedia().resolve("lecture.mp4")));
    for (String voice : List.of("kal", "awb", "rms")) {
      Path wav = dir.resolve(voice + ".wav");
      new ProcessBuilder("flite", "-voice", voice, "-t", "Please open the notebook and look at the second chart, which"
          + " shows the revenue by region for the last quarter.", "-o", wav.toString()).inheritIO().start().waitFor();
      s.put("flite " + voice, SpeechFixtures.pcm16k(wav));
    }
    return s;
  }

  @Test
  void speechIsDecodedAlsoUnderMusicOrNoise() throws Exception {
    Map<String, short[]> clips = new LinkedHashMap<>(speech());
    short[] librivox = joined(SpeechFixtures.librivox().stream().map(u -> SpeechFixtures.pcm16k(u.wav())).toList());
    for (var bg : BACKGROUNDS.entrySet()) {
      for (double snr : new double[] {10, 5, 0}) {
        clips.put("LibriVox + " + bg.getKey() + " at " + snr + " dB", mix(librivox, bg.getValue(), snr));
      }
    }
    int judged = 0;
    long[] total = new long[2]; // [0]: alone, or background 5 or 10 dB below; [1]: background as loud (0 dB)
    long[] lost = new long[2];
    for (var clip : clips.entrySet()) {
      for (short[] u : utterances(clip.getValue())) {
        SpeechGate.Features f = SpeechGate.features(u);
        System.out.printf(Locale.ROOT, "speech %-32s %5.1f s %s%n", clip.getKey(), u.length / 16000.0, f);
        boolean buried = clip.getKey().endsWith(" at 0.0 dB");
        total[buried ? 1 : 0] += u.length;
        lost[buried ? 1 : 0] += f.speech() ? 0 : u.length;
        judged++;
      }
    }
    assertThat(judged).isGreaterThan(100);
    assertThat(lost[0]).as("speech samples lost, alone or with a background 5 or 10 dB below it").isZero();
    assertThat(lost[1]).as("speech samples lost under a background as loud as the speech").isLessThan(total[1] / 20);
  }

  /**
   * Each sound between 3 s of near silence, as after a pause in footage (alone from the start, a steady sound sets
   * the splitter's noise floor and is not even cut into utterances). Drum hits alone are left out: every hit is
   * an utterance under {@link SpeechGate#MIN_FRAMES}, which is always decoded.
   */
  @Test
  void musicAndNoiseAreNotDecoded() {
    java.util.Random random = new java.util.Random(14);
    short[] quiet = new short[3 * 16_000];
    for (int i = 0; i < quiet.length; i++) {
      quiet[i] = (short) Math.round(random.nextGaussian() * 20);
    }
    for (var bg : BACKGROUNDS.entrySet()) {
      if (bg.getKey().equals("drums")) {
        continue;
      }
      List<short[]> us = utterances(joined(List.of(quiet, bg.getValue(), quiet)));
      assertThat(us).as(bg.getKey()).isNotEmpty();
      for (short[] u : us) {
        SpeechGate.Features f = SpeechGate.features(u);
        System.out.printf(Locale.ROOT, "other  %-32s %5.1f s %s%n", bg.getKey(), u.length / 16000.0, f);
        assertThat(f.speech()).as("%s: %s", bg.getKey(), f).isFalse();
        assertThat(SpeechGate.isSpeech(u)).isFalse();
      }
    }
  }

  @Test
  void shortUtterancesAreAlwaysDecoded() {
    short[] chord = java.util.Arrays.copyOf(BACKGROUNDS.get("chord"), SpeechGate.MIN_FRAMES * UtteranceSplitter.FRAME - 1);
    assertThat(SpeechGate.isSpeech(chord)).isTrue();
  }

  private static short[] joined(List<short[]> parts) {
    short[] out = new short[parts.stream().mapToInt(p -> p.length).sum()];
    int at = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
