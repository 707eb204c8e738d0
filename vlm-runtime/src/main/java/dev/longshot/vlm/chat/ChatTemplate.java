package dev.longshot.vlm.chat;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.tokenizer.Tokenizer;
import java.util.List;

/**
 * Chat prompt formats of the supported families, written out in Java rather than run as Jinja. Special tokens are
 * emitted as their literal text; the tokenizer turns them into single ids. Images become the model's image
 * placeholder run: Qwen2-VL style {@code <|vision_start|><|image_pad|>...<|vision_end|>} or SmolVLM / Idefics3 style
 * {@code <fake_token_around_image><image>...<fake_token_around_image>}, whichever the vocabulary has.
 */
public enum ChatTemplate {
  /** {@code <|im_start|>role\ncontent<|im_end|>\n}: Qwen2/2.5, SmolLM2. */
  CHATML,
  /** {@code <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>}: Llama 3. */
  LLAMA3,
  /** No chat markup: messages joined by blank lines (for base models). */
  PLAIN;

  /** The template a model's vocabulary (and embedded Jinja template, if any) points to. */
  public static ChatTemplate detect(Tokenizer tokenizer, String jinja) {
    String j = jinja == null ? "" : jinja;
    if (j.contains("<|start_header_id|>") || tokenizer.id("<|start_header_id|>") >= 0) {
      return LLAMA3;
    }
    if (j.contains("<|im_start|>") || tokenizer.id("<|im_start|>") >= 0) {
      return CHATML;
    }
    return PLAIN;
  }

  /** The prompt for {@code messages}, ending with the assistant's header so the model answers next. */
  public String render(List<ChatMessage> messages, Tokenizer tokenizer) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat needs at least one message");
    }
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      String content = content(m, tokenizer);
      switch (this) {
        case CHATML -> sb.append("<|im_start|>").append(m.role()).append('\n').append(content).append("<|im_end|>\n");
        case LLAMA3 -> sb.append("<|start_header_id|>").append(m.role()).append("<|end_header_id|>\n\n")
            .append(content).append("<|eot_id|>");
        case PLAIN -> sb.append(content).append("\n\n");
      }
    }
    switch (this) {
      case CHATML -> sb.append("<|im_start|>assistant\n");
      case LLAMA3 -> sb.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
      case PLAIN -> { }
    }
    return sb.toString();
  }

  private static String content(ChatMessage m, Tokenizer tokenizer) {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage.Part p : m.parts()) {
      switch (p) {
        case ChatMessage.Text t -> sb.append(t.text());
        case ChatMessage.Image img -> sb.append(imageMarkup(img.tokens(), tokenizer));
      }
    }
    return sb.toString();
  }

  /** The placeholder run for one image of {@code tokens} tokens in this model's vocabulary. */
  public static String imageMarkup(int tokens, Tokenizer tokenizer) {
    if (tokenizer.id("<|image_pad|>") >= 0 && tokenizer.id("<|vision_start|>") >= 0
        && tokenizer.id("<|vision_end|>") >= 0) {
      return "<|vision_start|>" + "<|image_pad|>".repeat(tokens) + "<|vision_end|>";
    }
    if (tokenizer.id("<image>") >= 0) {
      String around = tokenizer.id("<fake_token_around_image>") >= 0 ? "<fake_token_around_image>" : "";
      return around + "<image>".repeat(tokens) + around;
    }
    throw new ModelFormatException("this model's vocabulary has no image placeholder token (<|image_pad|> or <image>)");
  }
}
