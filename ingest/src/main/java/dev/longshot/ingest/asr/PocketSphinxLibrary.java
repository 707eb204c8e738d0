package dev.longshot.ingest.asr;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The slice of Debian's {@code libpocketsphinx.so.3} / {@code libsphinxbase.so.3} (pocketsphinx 0.8+5prealpha C API)
 * that {@link PocketSphinxSpeechRecognizer} uses, bound through JNA. JNA rather than the FFM API because the build
 * targets Java 21, where FFM is still a preview API, and the OCR backend already brings JNA. Pointers returned by
 * the library stay owned by it unless the C API says otherwise (decoder: {@code ps_free}; config:
 * {@code cmd_ln_free_r}).
 */
interface PocketSphinxLibrary extends Library {
  /** Debian's soname; the unversioned {@code .so} link exists only with the -dev package. */
  String SONAME = "pocketsphinx.so.3";

  static PocketSphinxLibrary load() {
    // Loading libpocketsphinx pulls in libsphinxbase (cmd_ln_*, logmath_*) as its DT_NEEDED dependency, and
    // JNA resolves symbols with dlsym on the handle, which searches dependencies too.
    return Native.load("lib" + SONAME, PocketSphinxLibrary.class);
  }

  /** Argument definitions of the decoder (static table, not freed). */
  Pointer ps_args();

  /** Parses {@code argv} (argv[0] is the program name) into a new config; null on a bad argument. */
  Pointer cmd_ln_parse_r(Pointer inoutCmdln, Pointer defn, int argc, String[] argv, int strict);

  int cmd_ln_free_r(Pointer cmdln);

  /** Loads models; null on failure. */
  Pointer ps_init(Pointer config);

  int ps_free(Pointer ps);

  /** Starts a new stream: resets the feature extractor's running noise estimate. */
  int ps_start_stream(Pointer ps);

  int ps_start_utt(Pointer ps);

  int ps_process_raw(Pointer ps, short[] data, long nSamples, int noSearch, int fullUtt);

  int ps_end_utt(Pointer ps);

  /** Best hypothesis text of the last utterance (owned by the decoder), or null. */
  String ps_get_hyp(Pointer ps, IntByReference outBestScore);

  /** Word segmentation iterator of the last utterance, or null when there is none. */
  Pointer ps_seg_iter(Pointer ps);

  /** Advances; returns null (and frees the iterator) at the end. */
  Pointer ps_seg_next(Pointer seg);

  String ps_seg_word(Pointer seg);

  void ps_seg_frames(Pointer seg, IntByReference outSf, IntByReference outEf);

  /** Posterior log probability of the word (log base of the decoder's logmath); 0 when not computed. */
  int ps_seg_prob(Pointer seg, IntByReference outAscr, IntByReference outLscr, IntByReference outLback);

  void ps_seg_free(Pointer seg);

  Pointer ps_get_logmath(Pointer ps);

  double logmath_exp(Pointer lmath, int logbP);
}
