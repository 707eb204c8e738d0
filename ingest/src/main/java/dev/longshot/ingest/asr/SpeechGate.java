package dev.longshot.ingest.asr;

/**
 * Tells music and noise from speech in an utterance that {@link UtteranceSplitter} cut, so that PocketSphinx does
 * not decode them (it decodes them like speech: ~0.06 CPU s per second, and invents words). Three features of the
 * utterance's 10 ms frames, all from one pass over the samples:
 * <ul>
 *   <li><b>high zero-crossing-rate ratio</b>: the share of frames whose zero-crossing rate exceeds 1.5 times the
 *       mean of their 1 s window. Speech alternates voiced sounds and fricatives (0.14-0.21 measured on LibriVox
 *       and flite voices); tones, chords, melodies, drum hits and white noise stay near 0;</li>
 *   <li><b>loudness spread</b>: the standard deviation of frame level in dB (frames within 40 dB of the loudest).
 *       Syllables and the gaps between them give speech 7-10 dB; steady noise and music 0.3-3 dB;</li>
 *   <li><b>4 Hz modulation</b>: the share of the dB envelope's spectrum (above 0.5 Hz) between 2 and 8 Hz, the
 *       syllable rate. Speech 0.3-0.6, also under music or noise at 0 dB SNR; steady noise and chords 0.02-0.25.</li>
 * </ul>
 * An utterance is speech when its zero-crossing ratio is at least {@value #MIN_HZCRR} and its loudness spread at
 * least {@value #MIN_SPREAD_DB} dB or its modulation at least {@value #MIN_MODULATION}. The thresholds sit in the gap
 * between speech (also mixed with pink noise, brown noise, a chord, a melody or a band 0 dB below it) and those
 * sounds alone; utterances under {@value #MIN_FRAMES} frames are always decoded. Thread-safe (stateless).
 */
final class SpeechGate {
  /** Bump when the decision changes (it redoes the records PocketSphinx transcribed). */
  static final int VERSION = 1;
  static final double MIN_HZCRR = 0.06;
  static final double MIN_SPREAD_DB = 3.0;
  static final double MIN_MODULATION = 0.26;
  static final int MIN_FRAMES = 100;
  private static final int FRAME = UtteranceSplitter.FRAME;
  private static final int WINDOW = 100;

  private SpeechGate() {}

  /** The three features of {@code samples} (16 kHz): zero-crossing ratio, loudness spread in dB, modulation. */
  record Features(double hzcrr, double spreadDb, double modulation) {
    boolean speech() {
      return hzcrr >= MIN_HZCRR && (spreadDb >= MIN_SPREAD_DB || modulation >= MIN_MODULATION);
    }
  }

  /** True unless {@code samples} are confidently music or noise (or too short to tell). */
  static boolean isSpeech(short[] samples) {
    return samples.length < MIN_FRAMES * FRAME || features(samples).speech();
  }

  static Features features(short[] samples) {
    int n = samples.length / FRAME;
    double[] db = new double[n];
    int[] zcr = new int[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int f = 0; f < n; f++) {
      double sum = 0;
      int crossings = 0;
      int from = f * FRAME;
      for (int i = from; i < from + FRAME; i++) {
        sum += (double) samples[i] * samples[i];
        if (i > from && (samples[i] >= 0) != (samples[i - 1] >= 0)) {
          crossings++;
        }
      }
      db[f] = 10 * Math.log10(sum / FRAME + 1e-3);
      zcr[f] = crossings;
      max = Math.max(max, db[f]);
    }
    // high zero-crossing-rate ratio, per 1 s window (the last partial window counts when at least half full)
    double high = 0;
    int windows = 0;
    for (int w = 0; w == 0 || w + WINDOW / 2 <= n; w += WINDOW) {
      int end = Math.min(n, w + WINDOW);
      double mean = 0;
      for (int f = w; f < end; f++) {
        mean += zcr[f];
      }
      mean /= end - w;
      int count = 0;
      for (int f = w; f < end; f++) {
        count += zcr[f] > 1.5 * mean ? 1 : 0;
      }
      high += count / (double) (end - w);
      windows++;
    }
    // loudness spread over the frames within 40 dB of the loudest
    double s = 0;
    double s2 = 0;
    int loud = 0;
    double mean = 0;
    for (int f = 0; f < n; f++) {
      mean += db[f];
      if (db[f] > max - 40) {
        s += db[f];
        s2 += db[f] * db[f];
        loud++;
      }
    }
    mean /= n;
    double spread = Math.sqrt(Math.max(0, s2 / loud - (s / loud) * (s / loud)));
    // share of the envelope's power (above 0.5 Hz) in 2..8 Hz: the spectrum of the mean-removed dB envelope,
    // zero-padded to a power of two
    int size = Integer.highestOneBit(Math.max(2, n - 1)) << 1;
    double[] re = new double[size];
    double[] im = new double[size];
    for (int f = 0; f < n; f++) {
      re[f] = db[f] - mean;
    }
    fft(re, im);
    double band = 0;
    double total = 0;
    for (int k = 1; k <= size / 2; k++) {
      double hz = k * 100.0 / size;
      double p = re[k] * re[k] + im[k] * im[k];
      if (hz > 0.5) {
        total += p;
      }
      if (hz >= 2 && hz <= 8) {
        band += p;
      }
    }
    return new Features(high / windows, spread, total == 0 ? 0 : band / total);
  }

  /** In-place iterative radix-2 FFT; {@code re.length} is a power of two. */
  static void fft(double[] re, double[] im) {
    int n = re.length;
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      double angle = -2 * Math.PI / len;
      double wr = Math.cos(angle);
      double wi = Math.sin(angle);
      for (int i = 0; i < n; i += len) {
        double cr = 1;
        double ci = 0;
        for (int k = 0; k < len / 2; k++) {
          int a = i + k;
          int b = a + len / 2;
          double xr = re[b] * cr - im[b] * ci;
          double xi = re[b] * ci + im[b] * cr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
          double t = cr * wr - ci * wi;
          ci = cr * wi + ci * wr;
          cr = t;
        }
      }
    }
  }
}
