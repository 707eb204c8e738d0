package dev.longshot.retrieval.answer;

import dev.longshot.config.AnswerBackend;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Timestamps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * The default backend, no model. The answer leads with the sentence or slide line of the best evidence that answers:
 * one holding an answer of the kind the question asks for ({@link AnswerType}: a name for "who", a date for "when", a
 * number for "how many"...) about the question's subject ({@link KeyTerms#answers}) beats one that only holds the
 * question's key terms ({@link KeyTerms}), which beats a line of the asked type sharing no word with the question
 * (page furniture such as "Contact: Dr. Ada Byrne" or "Page 3" is no answer at all); then more key terms, then the
 * shorter line wins, e.g. {@code Total budget: 4.2 million euros (slide at 00:22).} or {@code Speaker: Dr.
 * Maria Lopez (slide at 00:00).}; it then quotes the best line of the other evidence, e.g. {@code Also at 00:23 the
 * speaker says "..."}. Text seen at
 * several moments or in several videos is quoted once with all its moments. When no line holds a key term it
 * quotes the best evidence as it is ({@code At 01:23 the slide reads "..."}), and it says plainly when nothing
 * relevant was found. Emits the whole text to the token sink once. Thread-safe (its {@link VideoNames} must be).
 */
public final class ExtractiveAnswerer implements Answerer {
  /** The answer when no evidence passed the thresholds. */
  public static final String NOTHING_FOUND = "I found nothing in the indexed videos that answers this question.";
  /** Distinct evidence texts an answer draws on. */
  static final int MAX_ITEMS = 3;
  static final int MAX_QUOTE_CHARS = 240;

  /** Where a text was seen. */
  private record Moment(String videoId, long startMillis, long endMillis) {}

  /** A text (a whole evidence text, or one of its lines) of one modality with every moment it was seen at. */
  private record Quote(Modality modality, String text, List<Moment> moments) {
    String key() {
      return modality + ":" + normalise(text);
    }
  }

  private final VideoNames videoNames;

  /** Cites moments in several videos by their ids. */
  public ExtractiveAnswerer() {
    this(VideoNames.none());
  }

  /** Cites moments in several videos by the file names {@code videoNames} knows, else by id. */
  public ExtractiveAnswerer(VideoNames videoNames) {
    this.videoNames = Objects.requireNonNull(videoNames, "videoNames");
  }

  @Override
  public String name() {
    return AnswerBackend.EXTRACTIVE.configName();
  }

  @Override
  public Answer answer(String question, List<Evidence> evidence, Consumer<String> tokenSink) {
    String text = evidence.isEmpty() ? NOTHING_FOUND : compose(new KeyTerms(question), evidence);
    tokenSink.accept(text);
    return new Answer(text, evidence, name());
  }

  private String compose(KeyTerms keys, List<Evidence> evidence) {
    List<Quote> items = merge(evidence.stream().map(e -> new Quote(e.modality(), e.text(),
        List.of(new Moment(e.videoId(), e.startMillis(), e.endMillis())))).toList());
    List<Quote> cited = items.subList(0, Math.min(MAX_ITEMS, items.size()));
    // a line that answers (of the asked type and about the question's subject), then one that holds key terms, then
    // one of the asked type in the moment of key terms; more key terms, then the shorter line
    Comparator<Quote> answersBest = Comparator.comparingInt((Quote u) -> keys.answers(u.text()) ? 0
            : keys.score(u.text()) > 0 ? 1 : 2)
        .thenComparingInt(u -> -keys.score(u.text())).thenComparingInt(u -> u.text().length());
    List<Quote> best = new ArrayList<>();
    for (Quote item : cited) {
      boolean anchored = anchored(item, items, keys);
      units(item).stream().filter(u -> keys.score(u.text()) > 0 || keys.answers(u.text())
          || anchored && keys.holdsAnswer(u.text())).min(answersBest).ifPresent(best::add);
    }
    if (best.isEmpty()) {
      return capitalise(String.join("; ", cited.stream().map(q -> statement(q, q.text())).toList()) + ".");
    }
    Quote lead = best.stream().min(answersBest).orElseThrow();
    List<Quote> everyUnit = items.stream().flatMap(i -> units(i).stream()).toList();
    List<Quote> clauses = merge(best.stream().map(b -> withAllMoments(b, everyUnit)).toList());
    clauses.removeIf(c -> c.key().equals(lead.key()));
    String leadLine = capitalise(cut(lead.text().strip().replaceAll("\\s+", " ").replaceAll("[.!?:;,]+$", "")));
    StringBuilder s = new StringBuilder(leadLine).append(" (").append(kind(lead.modality())).append(' ')
        .append(moments(withAllMoments(lead, everyUnit).moments())).append(").");
    if (!clauses.isEmpty()) {
      String also = String.join("; ", clauses.stream().map(c -> statement(c, c.text())).toList());
      s.append(" Also ").append(also).append(also.matches("(?s).*[.!?]\"$") ? "" : ".");
    }
    return s.toString();
  }

  /**
   * Whether a line of {@code item} that holds an answer of the asked type but none of the question's words may answer:
   * when the item holds a key term elsewhere (the slide "Speaker: Dr. Maria Lopez" of a "lecture" title slide), or an
   * item of the same moment does (the speaker's "my name is maria lopez" under that slide).
   */
  private static boolean anchored(Quote item, List<Quote> items, KeyTerms keys) {
    return keys.holdsAny(item.text()) || items.stream().anyMatch(other -> other != item && keys.holdsAny(other.text())
        && other.moments().stream().anyMatch(o -> item.moments().stream().anyMatch(m -> m.videoId().equals(o.videoId())
            && m.startMillis() <= o.endMillis() && o.startMillis() <= m.endMillis())));
  }

  /** Quotes with the same modality and text (case, spacing and punctuation aside) merged, moments kept in order. */
  private static List<Quote> merge(List<Quote> quotes) {
    Map<String, Quote> merged = new LinkedHashMap<>();
    for (Quote q : quotes) {
      merged.merge(q.key(), q, (a, b) -> {
        List<Moment> m = new ArrayList<>(a.moments());
        b.moments().stream().filter(x -> !m.contains(x)).forEach(m::add);
        return new Quote(a.modality(), a.text(), List.copyOf(m));
      });
    }
    return new ArrayList<>(merged.values());
  }

  private static Quote withAllMoments(Quote unit, List<Quote> everyUnit) {
    return merge(everyUnit.stream().filter(u -> u.key().equals(unit.key())).toList()).stream().findFirst().orElse(unit);
  }

  /**
   * A quote's non-blank lines and sentences. A line on screen has the quote's moments; a sentence of speech that
   * retrieval merged from several segments starts where its place in the text says (its share of the characters
   * before it, of the span: the segments' own times are not in the evidence), so it is not cited at the first
   * segment's time.
   */
  private static List<Quote> units(Quote q) {
    List<Quote> out = new ArrayList<>();
    Matcher m = KeyTerms.UNIT_BREAK.matcher(q.text());
    int from = 0;
    while (from <= q.text().length()) {
      boolean more = m.find();
      int to = more ? m.start() : q.text().length();
      String u = q.text().substring(from, to);
      if (!u.isBlank()) {
        double share = q.modality().isSpeech() ? (double) (from + u.indexOf(u.strip())) / q.text().length() : 0;
        List<Moment> moments = q.moments().stream().map(x -> new Moment(x.videoId(),
            x.startMillis() + Math.round(share * (x.endMillis() - x.startMillis())), x.endMillis())).toList();
        out.add(new Quote(q.modality(), u.strip(), moments));
      }
      if (!more) {
        break;
      }
      from = m.end();
    }
    return out;
  }

  private String statement(Quote q, String text) {
    String verb = switch (q.modality()) {
      case OCR -> "the slide reads ";
      case ASR -> "the speaker says ";
      case SUBTITLE -> "the subtitles read ";
      case DET -> "the frame shows ";
    };
    return moments(q.moments()) + " " + verb + quote(text);
  }

  private static String kind(Modality m) {
    return switch (m) {
      case OCR -> "slide";
      case ASR -> "speech";
      case SUBTITLE -> "subtitles";
      case DET -> "frame";
    };
  }

  /**
   * {@code at 00:46 and 02:50}, or per video when there are several: {@code at 00:46 in lecture.mp4, and at 00:05 in
   * excerpt.mp4} (file names; a video without a known name, or sharing its name with another one here, is cited
   * as {@code video ID} or {@code talk.mp4 (video ID)}).
   */
  private String moments(List<Moment> moments) {
    Map<String, List<Long>> byVideo = new LinkedHashMap<>();
    for (Moment m : moments) {
      byVideo.computeIfAbsent(m.videoId(), v -> new ArrayList<>()).add(m.startMillis());
    }
    Map<String, Optional<String>> names = new LinkedHashMap<>();
    byVideo.keySet().forEach(id -> names.put(id, videoNames.fileName(id)));
    boolean distinct = names.values().stream().flatMap(Optional::stream).distinct().count()
        == names.values().stream().flatMap(Optional::stream).count();
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<Long>> e : byVideo.entrySet()) {
      List<String> times = e.getValue().stream().sorted().distinct().map(Timestamps::format).toList();
      String video = names.get(e.getKey()).map(n -> distinct ? n : n + " (video " + e.getKey() + ")")
          .orElse("video " + e.getKey());
      parts.add("at " + list(times) + (byVideo.size() > 1 ? " in " + video : ""));
    }
    return String.join(", and ", parts);
  }

  private static String list(List<String> items) {
    return items.size() == 1 ? items.getFirst()
        : String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.getLast();
  }

  static String quote(String text) {
    return "\"" + cut(text.strip().replaceAll("\\s+", " ").replace('"', '\'')) + "\"";
  }

  private static String cut(String t) {
    if (t.length() <= MAX_QUOTE_CHARS) {
      return t;
    }
    int cut = t.lastIndexOf(' ', MAX_QUOTE_CHARS);
    return t.substring(0, cut > MAX_QUOTE_CHARS / 2 ? cut : MAX_QUOTE_CHARS) + " …";
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String normalise(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }
}
