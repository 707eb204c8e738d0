package dev.longshot.retrieval.answer;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lines on screen that belong to the page, not to what it says: page and slide counters, on-screen clocks and time
 * codes, contact and copyright footers, web and mail addresses. They hold names, numbers and times of the right form
 * on every slide ("Contact: Dr. Ada Byrne", "Page 3", "10:02"), so a line of furniture holds no answer ({@link
 * KeyTerms#holdsAnswer}) unless the question asks about it ("Who is the press contact?", "How many pages..."); a clock
 * alone on a line is still a time ("Doors open / 19:30"), but no number. A whole
 * line is furniture when it matches; a sentence of speech seldom does (the labels need a colon, a capital or a digit
 * after them). Immutable.
 */
enum PageFurniture {
  /** "Page 3", "Slide 4 of 12", "p. 7", "3 / 12". */
  COUNTER("(?i:(page|slide|p\\.|pg\\.?)\\h*\\d{1,4}(\\h*(/|of)\\h*\\d{1,4})?)|\\d{1,4}\\h*/\\h*\\d{1,4}",
      "page|pages|slide|slides"),
  /** An on-screen clock or time code standing alone: "10:02", "00:12:31", "LIVE 14:05", "[01:02:03.250]". */
  CLOCK("(?i:(live|now)\\h*)?\\[?\\d{1,2}:\\d\\d(:\\d\\d)?([.,]\\d+)?\\]?(?i:\\h*(utc|gmt|cet|cest|bst|est|pst))?",
      "clock|timestamp|timecode", AnswerType.NUMBER, AnswerType.PERSON, AnswerType.PLACE),
  /** "Contact: Dr. Ada Byrne, press office", "Phone +44 20 ...", "E-mail: press@...", with whatever follows. */
  CONTACT("(?i:(press |media )?(contact|contacts|e-?mail|phone|tel|telephone|fax|mobile|enquiries|inquiries))"
      + "(\\h*[:.]|\\h+(?=[\\p{Lu}\\d+(]))\\V*",
      "contact|contacts|email|e-mail|mail|phone|telephone|call|reach|fax|enquiries|inquiries"),
  /** "© 2024 Riverside Council", "Copyright ...", "... All rights reserved". */
  COPYRIGHT("(?i:(©|\\(c\\)|copyright\\b)\\V*|\\V*\\ball rights reserved\\b\\V*)", "copyright|rights|owns|owner"),
  /** A line that holds a web or mail address. */
  ADDRESS("\\V*(?i:https?://|www\\.|\\b[\\w.+-]+@[\\w-]+\\.\\p{L}{2,})\\V*", "website|web|url|link|email|e-mail|mail");

  private final Pattern line;
  private final Pattern askedBy;
  private final Set<AnswerType> hidden;

  /** Furniture that hides answers of the {@code hidden} types, or of every type when none are named. */
  PageFurniture(String line, String askedBy, AnswerType... hidden) {
    this.line = Pattern.compile(line);
    this.askedBy = Pattern.compile("\\b(" + askedBy + ")\\b");
    this.hidden = hidden.length == 0 ? EnumSet.allOf(AnswerType.class) : EnumSet.copyOf(Arrays.asList(hidden));
  }

  /**
   * Whether {@code line} (one line on screen, or a sentence) is furniture whose answers of {@code type} do not count
   * for {@code question} (one that does not ask about it).
   */
  static boolean hides(String line, AnswerType type, String question) {
    String l = line.strip();
    String q = question.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).anyMatch(f -> f.hidden.contains(type) && f.line.matcher(l).matches()
        && !f.askedBy.matcher(q).find());
  }
}
