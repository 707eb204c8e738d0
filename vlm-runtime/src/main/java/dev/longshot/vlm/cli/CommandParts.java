package dev.longshot.vlm.cli;

import dev.longshot.config.ConfigChoice;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.multimodal.RgbImage;
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** What {@code generate} and {@code attention-search} both do with their {@code --image} and {@code --mmproj}. */
final class CommandParts {
  private CommandParts() {}

  /** The {@code --image} files as still pictures, in order. */
  static List<SmolVlmProcessor.Picture> readPictures(List<Path> images) throws IOException {
    List<SmolVlmProcessor.Picture> pictures = new ArrayList<>();
    for (Path p : images) {
      pictures.add(SmolVlmProcessor.Picture.still(RgbImage.read(p)));
    }
    return pictures;
  }

  /** A SmolVLM model with the {@code --mmproj} named, or (null) the one beside a GGUF or in the directory. */
  static SmolVlm loadVlm(Path model, Path mmproj, VlmSettings settings) throws IOException {
    return mmproj != null ? SmolVlm.load(model, mmproj, settings) : SmolVlm.load(model, settings);
  }

  /**
   * A setting's allowed names, from its enum, for picocli's {@code ${COMPLETION-CANDIDATES}} in help text (picocli
   * wants a class it can construct, so each enum gets a two-line subclass).
   */
  abstract static class ConfigNames<E extends Enum<E> & ConfigChoice> implements Iterable<String> {
    private final Class<E> type;

    ConfigNames(Class<E> type) {
      this.type = type;
    }

    @Override
    public Iterator<String> iterator() {
      return ConfigChoice.configNames(type).iterator();
    }
  }
}
