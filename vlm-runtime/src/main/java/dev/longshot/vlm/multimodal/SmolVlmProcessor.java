package dev.longshot.vlm.multimodal;

import dev.longshot.timeline.EnglishNumbers;
import dev.longshot.vlm.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's Idefics3 / SmolVLM processor on the text side: each {@code <image>} in the text becomes the family's
 * token string for the next image (split: per tile {@code <fake_token_around_image><row_r_col_c>} and
 * {@code image_seq_len} image tokens, a newline after each tile row, then a newline and the global view; unsplit:
 * {@code <fake_token_around_image><global-img>}, the image tokens, {@code <fake_token_around_image>}); images without
 * a marker go before the text; video frames get SmolVLM2's {@code \nFrame from mm:ss:} label. The string is then
 * tokenized with the tokenizer's own BOS rule, and the runs of image tokens give the {@link PromptLayout}.
 * Immutable and thread-safe.
 */
public final class SmolVlmProcessor {
  /** The image placeholder in prompts and in the vocabulary. */
  public static final String IMAGE = "<image>";
  static final String FAKE = "<fake_token_around_image>";
  static final String GLOBAL = "<global-img>";
  /** SmolVLM2's video placeholder in a user turn, replaced by {@link #videoString}. */
  public static final String VIDEO = "<video>";

  private final Tokenizer tokenizer;
  private final ImageProcessor images;
  private final int imageTokenId;
  private final dev.longshot.vlm.tensor.Parallel par;

  public SmolVlmProcessor(Tokenizer tokenizer, ImageProcessor images, int imageTokenId) {
    this(tokenizer, images, imageTokenId, null);
  }

  /**
   * With {@code par} (null: one at a time) the pictures of a prompt are resized and normalised on its threads, each
   * picture by one thread (the same pixels either way).
   */
  public SmolVlmProcessor(Tokenizer tokenizer, ImageProcessor images, int imageTokenId,
      dev.longshot.vlm.tensor.Parallel par) {
    this.tokenizer = tokenizer;
    this.images = images;
    this.imageTokenId = imageTokenId;
    this.par = par;
  }

  /** {@link ImageProcessor#process} of every picture, in order; on the threads of {@link #par} when there is one. */
  private List<ImageProcessor.Processed> processAll(List<Picture> pictures, boolean allowSplit) {
    ImageProcessor.Processed[] out = new ImageProcessor.Processed[pictures.size()];
    dev.longshot.vlm.tensor.Parallel.RangeBody body = (from, to) -> {
      for (int i = from; i < to; i++) {
        Picture p = pictures.get(i);
        out[i] = images.process(p.image(), allowSplit && p.split());
      }
    };
    if (par == null) {
      body.run(0, out.length);
    } else {
      par.forRange(out.length, 1, body);
    }
    return java.util.Arrays.asList(out);
  }

  public ImageProcessor imageProcessor() {
    return images;
  }

  /**
   * An image to place in a prompt.
   *
   * @param image the pixels
   * @param timestampMillis the video time it shows, labelled in the prompt; {@code -1} for none
   * @param split whether it may be split into tiles (when the config splits); video frames are not
   */
  public record Picture(RgbImage image, long timestampMillis, boolean split) {
    /** A still image: split when the config asks for it, no time label. */
    public static Picture still(RgbImage image) {
      return new Picture(image, -1, true);
    }

    /** A video frame: never split, labelled {@code Frame from mm:ss:} when {@code timestampMillis >= 0}. */
    public static Picture frame(RgbImage image, long timestampMillis) {
      return new Picture(image, timestampMillis, false);
    }
  }

  /** The token string for one processed image (HF's {@code get_image_prompt_string}). */
  public String imageString(ImageProcessor.Processed p) {
    String run = IMAGE.repeat(images.config().imageSeqLen());
    String global = FAKE + GLOBAL + run + FAKE;
    if (p.rows() == 0) {
      return global;
    }
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < p.rows(); r++) {
      for (int c = 0; c < p.cols(); c++) {
        sb.append(FAKE).append("<row_").append(r + 1).append("_col_").append(c + 1).append('>').append(run);
      }
      sb.append('\n');
    }
    return sb.append('\n').append(global).toString();
  }

  /**
   * SmolVLM2's video intro ({@code DEFAULT_VIDEO_INTRO} of transformers' video_processing_smolvlm.py): "You are
   * provided the following series of {frame count in English words} frames from a {H:MM:SS} [H:MM:SS] video.\n",
   * the duration truncated to whole seconds and written as Python's {@code str(timedelta)}.
   */
  public static String videoIntro(int frameCount, long durationMillis) {
    return "You are provided the following series of " + EnglishNumbers.cardinal(frameCount) + " frames from a "
        + timedelta(durationMillis / 1000) + " [H:MM:SS] video.\n";
  }

  /** Python's {@code str(timedelta(seconds=s))}: {@code H:MM:SS}, or {@code "N day(s), H:MM:SS"} from a day on. */
  static String timedelta(long seconds) {
    long days = seconds / 86_400;
    long rest = seconds % 86_400;
    String hms = String.format("%d:%02d:%02d", rest / 3600, rest / 60 % 60, rest % 60);
    return days == 0 ? hms : days + (days == 1 ? " day, " : " days, ") + hms;
  }

  /** SmolVLM2's frame label, {@code \nFrame from mm:ss:}. */
  public static String frameLabel(long millis) {
    long s = millis / 1000;
    return String.format("\nFrame from %02d:%02d:", s / 60, s % 60);
  }

  /**
   * Builds the prompt for {@code text} and {@code pictures}: stills are split when the config asks for it, video
   * frames never (as SmolVLM2 treats video); pictures with a time are labelled with it.
   */
  public MultimodalPrompt build(String text, List<Picture> pictures) {
    String[] parts = text.split(java.util.regex.Pattern.quote(IMAGE), -1);
    int markers = parts.length - 1;
    if (markers > pictures.size()) {
      throw new IllegalArgumentException("the prompt has " + markers + " " + IMAGE + " markers but only "
          + pictures.size() + " images");
    }
    List<ImageProcessor.Processed> processed = processAll(pictures, true);
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < pictures.size(); i++) {
      Picture p = pictures.get(i);
      strings.add((p.timestampMillis() >= 0 ? frameLabel(p.timestampMillis()) : "") + imageString(processed.get(i)));
    }
    StringBuilder sb = new StringBuilder();
    int unmarked = pictures.size() - markers;
    for (int i = 0; i < unmarked; i++) {
      sb.append(strings.get(i));
    }
    sb.append(parts[0]);
    for (int m = 0; m < markers; m++) {
      sb.append(strings.get(unmarked + m)).append(parts[m + 1]);
    }
    return tokenize(sb.toString(), processed, pictures);
  }

  /**
   * A prompt holding a video as SmolVLM2's processor writes it ({@code process_video}): {@code before}, then
   * {@link #videoIntro}, each frame as {@code \nFrame from mm:ss:} and its unsplit image string, then
   * {@code "\n\n"} and {@code after}. Every frame needs its time.
   */
  public MultimodalPrompt buildVideo(String before, List<Picture> frames, long durationMillis, String after) {
    StringBuilder sb = new StringBuilder(before).append(videoIntro(frames.size(), durationMillis));
    for (Picture f : frames) {
      if (f.timestampMillis() < 0) {
        throw new IllegalArgumentException("a video frame needs its time; got " + f.timestampMillis());
      }
    }
    List<ImageProcessor.Processed> processed = processAll(frames, false);
    for (int i = 0; i < frames.size(); i++) {
      sb.append(frameLabel(frames.get(i).timestampMillis())).append(imageString(processed.get(i)));
    }
    return tokenize(sb.append("\n\n").append(after).toString(), processed, frames);
  }

  private MultimodalPrompt tokenize(String prompt, List<ImageProcessor.Processed> processed, List<Picture> pictures) {
    int[] body = tokenizer.encode(prompt);
    int[] ids = body;
    if (tokenizer.addBos()) {
      ids = new int[body.length + 1];
      ids[0] = tokenizer.bos();
      System.arraycopy(body, 0, ids, 1, body.length);
    }
    int seq = images.config().imageSeqLen();
    int gridSide = (int) Math.round(Math.sqrt(seq));
    int gridRows = gridSide * gridSide == seq ? gridSide : 1;
    int gridCols = seq / gridRows;
    PromptLayout.Builder layout = PromptLayout.builder();
    List<float[]> tiles = new ArrayList<>();
    int image = 0;
    int tile = 0;
    int pos = 0;
    while (pos < ids.length) {
      int start = pos;
      while (pos < ids.length && ids[pos] != imageTokenId) {
        pos++;
      }
      layout.text(pos - start);
      if (pos == ids.length) {
        break;
      }
      start = pos;
      while (pos < ids.length && ids[pos] == imageTokenId) {
        pos++;
      }
      if (image >= processed.size() || pos - start != seq) {
        throw new IllegalArgumentException("the prompt's image tokens do not match its images: a run of "
            + (pos - start) + " image tokens at position " + start + " (image_seq_len is " + seq + ", "
            + processed.size() + " images); is " + IMAGE + " written in the text itself?");
      }
      ImageProcessor.Processed p = processed.get(image);
      boolean global = tile == p.tileCount() - 1;
      layout.tile(image, global ? -1 : tile / Math.max(1, p.cols()), global ? -1 : tile % Math.max(1, p.cols()),
          gridRows, gridCols, pictures.get(image).timestampMillis());
      tiles.add(p.tiles().get(tile));
      if (++tile == p.tileCount()) {
        image++;
        tile = 0;
      }
    }
    if (image != processed.size()) {
      throw new IllegalArgumentException("the tokenizer did not keep " + IMAGE + " as one token: " + image
          + " of " + processed.size() + " images found in the ids");
    }
    return new MultimodalPrompt(ids, layout.build(), tiles, images.config().maxImageSize());
  }
}
