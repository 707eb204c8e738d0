package dev.longshot.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model files the chosen backends read must be there when the settings load, so that a wrong path stops
 * {@code bin/longshot} and {@code serve} at once with one line naming the key, the path and what to do, instead of
 * failing at the first ingest (after an upload) or the first question. Paths of backends not in use are not
 * checked. Built records are not checked here: tests and tools may build them for files they create later.
 */
final class ModelFiles {
  private ModelFiles() {}

  /** Returns {@code config} when every model file its backends need exists, else throws {@link ConfigException}. */
  static LongshotConfig requirePresent(LongshotConfig config) {
    if (config.asr().backend() == AsrBackend.WHISPER) {
      requireFile("asr.whisper-model", config.asr().whisperModel(),
          "give the path of a whisper.cpp ggml model file (e.g. ggml-base.en.bin), or set asr.backend to pocketsphinx");
    }
    if (config.detector().backend() == DetectorBackend.YOLO) {
      requireFile("detector.yolo-model", config.detector().yoloModel(),
          "give the path of a YOLO model exported to ONNX (e.g. yolov8n.onnx), or set detector.backend to opencv");
    }
    Path vlm = config.vlm().model();
    if (config.answer().backend() == AnswerBackend.EMBEDDED && vlm != null && !Files.exists(vlm)) {
      throw new ConfigException("vlm.model", vlm, "no such file or directory; give a GGUF file or a safetensors model "
          + "directory (see vlm-runtime/README.md), or set answer.backend to extractive");
    }
    return config;
  }

  private static void requireFile(String key, Path file, String whatToDo) {
    if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
      String problem = Files.isDirectory(file) ? "a directory, not a model file" : "no such readable file";
      throw new ConfigException(key, file, problem + "; " + whatToDo);
    }
  }
}
