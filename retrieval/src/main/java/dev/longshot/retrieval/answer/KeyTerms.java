package dev.longshot.retrieval.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key terms of a question and how well a sentence or slide line holds them, for the extractive answer (issue 14
 * item 6). Key terms are the question's words minus question and function words; a line's word matches a term when
 * both are equal, one is the other plus at most two letters ({@code cost}/{@code costs}), or they share their first
 * five letters ({@code reviews}/{@code reviewed}). A line scores one point per term it holds, and nothing when it holds
 * no word beyond the question's own. The kind of answer the question asks for is its {@link AnswerType}; a line or
 * sentence answers when it holds an answer of that type and shares the question's subject: one of its key terms, or
 * (for "who") the role the question asks about ("Speaker: ..." for "Who is giving this lecture?"). Lines of page
 * furniture ({@link PageFurniture}: "Contact: Dr. Ada Byrne", "Page 3") hold no answer unless the question asks about
 * them, and for "who" the agent of a passive verb of the question counts as an answer ("Funded by the city council"
 * for "Who funded the project?"). Immutable.
 */
public final class KeyTerms {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  /**
   * Between a slide's lines (or the reads of one slide that retrieval merged, joined by " / ") and a transcript's
   * sentences ("Dr. Lopez" stays whole: 3 letters before the stop): the units an answer is read in and quoted from.
   */
  static final Pattern UNIT_BREAK = Pattern.compile("\\R| / |(?<=\\p{L}{3}[.!?])\\s+");
  /** Between a slide's lines: what page furniture is recognised in. */
  private static final Pattern LINE_BREAK = Pattern.compile("\\R| / ");
  /** A passive verb and its agent: "funded by the city council", "reviewed by an external panel". */
  private static final Pattern AGENT = Pattern.compile("(?i)\\b(\\p{L}+)\\h+by\\h+(?!(far|the way|now|then|hand|heart"
      + "|default|day|night|car|train|bus|email|phone|mail|post|bike|air|sea)\\b)(the\\h+|an?\\h+)?\\p{L}{2,}");
  private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "been",
      "do", "does", "did", "of", "in", "on", "at", "to", "for", "by", "with", "from", "about", "and", "or", "what",
      "which", "who", "whom", "whose", "when", "where", "why", "how", "much", "many", "often", "long", "this", "that",
      "these", "those", "it", "its", "there", "their", "they", "we", "you", "i", "my", "our", "your", "he", "she", "his",
      "her", "has", "have", "had", "any", "every", "each", "can", "will", "would", "should", "could", "than", "then",
      "into", "as", "so", "not", "no", "all", "some", "one's", "s");
  private final String question;
  private final List<String> terms;
  private final Optional<AnswerType> asked;

  public KeyTerms(String question) {
    this.question = question;
    String q = question.toLowerCase(Locale.ROOT);
    List<String> t = new ArrayList<>();
    for (String w : words(q)) {
      if (!FUNCTION_WORDS.contains(w) && !t.contains(w)) {
        t.add(w);
      }
    }
    this.terms = List.copyOf(t);
    this.asked = AnswerType.askedBy(question);
  }

  /** The kind of answer the question asks for ({@link AnswerType#askedBy}), or empty. */
  public Optional<AnswerType> asked() {
    return asked;
  }

  /**
   * Whether {@code text} holds an answer of the asked type (false when the question asks for no type) on a line that
   * is not page furniture the question does not ask about; for "who", a line labelling a person with another role
   * than the one asked for, and holding no key term, holds none ("Host: Tom Reyes" for "Who gave the lecture?"), and
   * the agent of a key term does ("funded by the city council").
   */
  public boolean holdsAnswer(String text) {
    return asked.isPresent() && LINE_BREAK.splitAsStream(text).anyMatch(this::answerOnLine);
  }

  private boolean answerOnLine(String line) {
    AnswerType type = asked.orElseThrow();
    if (PageFurniture.hides(line, type, question)) {
      return false;
    }
    if (type == AnswerType.PERSON && namesAnAgent(line)) {
      return true;
    }
    return type.foundIn(line) && !(type.labelsARole(line) && !namesTheAskedRole(line) && score(line) == 0);
  }

  /**
   * Whether {@code unit} (a line or sentence) answers: it holds an answer of the asked type and shares the question's
   * subject, a key term or (for "who") the role asked about.
   */
  public boolean answers(String unit) {
    return holdsAnswer(unit) && (score(unit) > 0 || namesTheAskedRole(unit));
  }

  /**
   * Whether a line or sentence of {@code text} {@link #answers} and itself holds at least half the key terms (the
   * role the question asks about counts as one): "Cost: 2.8 million pounds" under "New Footbridge" is no answer to
   * "How much does a new car cost?".
   */
  public boolean answersInAUnit(String text) {
    return UNIT_BREAK.splitAsStream(text).anyMatch(u -> answers(u)
        && 2 * (held(words(u.toLowerCase(Locale.ROOT))) + (namesTheAskedRole(u) ? 1 : 0)) >= terms.size());
  }

  /**
   * Whether {@code other} repeats a word of an answer of the asked type in {@code text} (page furniture aside): the
   * speaker's "my name is maria lopez" under the slide "Speaker: Dr. Maria Lopez".
   */
  public boolean repeatsAnswer(String text, String other) {
    return asked.map(t -> t.repeatedIn(String.join("\n", LINE_BREAK.splitAsStream(text)
        .filter(l -> !PageFurniture.hides(l, t, question)).toList()), other)).orElse(false);
  }

  /** Whether {@code line} labels or introduces a person in the role the question asks about ({@link AnswerType.Role}). */
  private boolean namesTheAskedRole(String line) {
    return asked.map(t -> t.roleActsIn(line).stream().flatMap(Set::stream)
        .anyMatch(act -> terms.stream().anyMatch(term -> matches(act, term)))).orElse(false);
  }

  private boolean namesAnAgent(String line) {
    Matcher m = AGENT.matcher(line);
    while (m.find()) {
      String verb = m.group(1).toLowerCase(Locale.ROOT);
      if (terms.stream().anyMatch(t -> matches(verb, t))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code text} holds at least one key term. */
  public boolean holdsAny(String text) {
    return held(words(text.toLowerCase(Locale.ROOT))) > 0;
  }

  /** Whether {@code text} holds at least one key term and at least half of them. */
  public boolean holdsHalf(String text) {
    int held = held(words(text.toLowerCase(Locale.ROOT)));
    return held > 0 && 2 * held >= terms.size();
  }

  /**
   * Whether {@code text} holds at least two key terms, at least half of them, and a word beyond them: a sentence whose
   * recogniser misheard one name of the question ("project caring measures water quality" for "What does project
   * Heron measure?"), for evidence in the same moment as accepted evidence.
   */
  public boolean holdsMost(String text) {
    List<String> words = words(text.toLowerCase(Locale.ROOT));
    int held = held(words);
    return held >= 2 && 2 * held >= terms.size() && addsAWord(words);
  }

  /**
   * Whether {@code text} holds every key term of the question and at least one word beyond them (false for a
   * question without key terms): for evidence selection, a lexical match as strong as a high similarity.
   */
  public boolean holdsAll(String text) {
    List<String> words = words(text.toLowerCase(Locale.ROOT));
    return !terms.isEmpty() && held(words) == terms.size() && addsAWord(words);
  }

  /** How many key terms {@code line} holds; 0 when it adds no word beyond them. */
  int score(String line) {
    List<String> words = words(line.toLowerCase(Locale.ROOT));
    int held = held(words);
    return held == 0 || !addsAWord(words) ? 0 : held;
  }

  /** How many key terms one of {@code words} matches. */
  private int held(List<String> words) {
    return (int) terms.stream().filter(term -> words.stream().anyMatch(w -> matches(w, term))).count();
  }

  /** Whether {@code words} hold a word that is neither a function word nor a key term. */
  private boolean addsAWord(List<String> words) {
    return words.stream().anyMatch(w -> !FUNCTION_WORDS.contains(w) && terms.stream().noneMatch(t -> matches(w, t)));
  }

  static boolean matches(String word, String term) {
    String shorter = word.length() <= term.length() ? word : term;
    String longer = shorter == word ? term : word;
    if (longer.startsWith(shorter) && shorter.length() >= 3 && longer.length() - shorter.length() <= 2) {
      return true;
    }
    int common = 0;
    while (common < shorter.length() && shorter.charAt(common) == longer.charAt(common)) {
      common++;
    }
    return common == longer.length() || common >= 5;
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
