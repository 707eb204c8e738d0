package dev.longshot.vlm.chat;

import java.util.List;

/**
 * One turn of a conversation: a role ({@code system}, {@code user}, {@code assistant}) and its content parts.
 * Image parts reserve a run of placeholder tokens that the vision encoder's embeddings will replace.
 */
public record ChatMessage(String role, List<Part> parts) {
  /** A piece of message content. */
  public sealed interface Part permits Text, Image {}

  /** Plain text. */
  public record Text(String text) implements Part {}

  /** An image that will occupy {@code tokens} placeholder positions (e.g. 64 per SmolVLM tile). */
  public record Image(int tokens) implements Part {
    public Image {
      if (tokens < 1) {
        throw new IllegalArgumentException("an image needs at least one token, got " + tokens);
      }
    }
  }

  public ChatMessage {
    if (role == null || !List.of("system", "user", "assistant").contains(role)) {
      throw new IllegalArgumentException("role must be system, user or assistant, got " + role);
    }
    parts = List.copyOf(parts);
  }

  public static ChatMessage system(String text) {
    return new ChatMessage("system", List.of(new Text(text)));
  }

  public static ChatMessage user(String text) {
    return new ChatMessage("user", List.of(new Text(text)));
  }

  public static ChatMessage assistant(String text) {
    return new ChatMessage("assistant", List.of(new Text(text)));
  }
}
