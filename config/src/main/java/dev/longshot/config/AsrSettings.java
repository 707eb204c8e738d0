package dev.longshot.config;

import java.nio.file.Path;

/**
 * Speech recognition (section {@code asr}). Subtitles (embedded stream or sidecar .srt/.vtt) always win over
 * ASR.
 *
 * @param backend which recogniser transcribes the audio (see {@link AsrBackend})
 * @param pocketsphinxModelDir directory of the PocketSphinx acoustic model, dictionary and language model
 * @param whisperModel path of a whisper.cpp ggml model file; only read when backend is whisper
 * @param chunkSeconds longest transcript segment in seconds; segments are cut at pauses below it
 * @param decoders pause-separated utterances of one track that PocketSphinx decodes at once, each on its own
 *     decoder, which holds its own copy of the language model; 0 means one per available core
 */
public record AsrSettings(AsrBackend backend, Path pocketsphinxModelDir, Path whisperModel, double chunkSeconds,
    int decoders) {
  public AsrSettings {
    Check.present("asr.backend", backend, AsrBackend.class);
    Check.range("asr.chunk-seconds", chunkSeconds, 1.0, 120.0);
    Check.range("asr.decoders", decoders, 0, 64);
    if (backend == AsrBackend.WHISPER && whisperModel == null) {
      throw new ConfigException("asr.whisper-model", null, "a ggml model path is required when asr.backend is whisper");
    }
  }
}
