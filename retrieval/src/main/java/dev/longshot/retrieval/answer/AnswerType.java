package dev.longshot.retrieval.answer;

import dev.longshot.timeline.EnglishNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kind of thing a question asks for (answer typing, the classic question-answering technique), and how to see an
 * answer of that kind in a slide line, a sentence of speech or subtitles. The question's wh-word and shape name the
 * type ("who" a person, "when" a time, "where" or "which city" a place, "how many" a number); a question with none of
 * these cues ("What does the project measure?") has no type. Candidates are recognised by their form, not by knowing
 * the names: a person by an honorific ("Dr. Maria Lopez"), a role label ("Speaker: Maria Lopez") or a
 * self-introduction ("my name is maria lopez", "I'm Maria"); a time by a month, weekday, year, season or clock time;
 * a place by a capitalised name after "in", "at", "from"... or a place noun ("river Rhine", "City of Basel"); a
 * number by digits or number words ({@link EnglishNumbers}). Retrieval accepts evidence that holds an answer of the
 * asked type ({@code EvidenceSelector}) and the extractive answer leads with a line that holds one
 * ({@link ExtractiveAnswerer}). Cues are English. Immutable.
 */
public enum AnswerType {
  /** A person (or the body that acts as one: "an external panel" is not recognised, "Speaker: X" is). */
  PERSON("\\b(who|whom|whose)\\b|\\b(which|what) (person|people|speaker|presenter|lecturer|host|author)\\b",
      Patterns.HONORIFIC + "\\.?\\h+" + Patterns.NAME,
      // possessive blanks: "\\h*:?\\h+" tried every split of a run of blanks without a name after it (quadratic)
      Role.LABEL + "(?:\\h*+:)?\\h++(" + Patterns.HONORIFIC + "\\.?\\h+)?" + Patterns.NAME,
      "(?i:\\bmy name(?: is|'s)\\s+)(?!" + Patterns.FUNCTION_WORD + "\\b)\\p{L}{2,}",
      "\\b(I am|I'm|i am|i'm)\\h+" + Patterns.NAME),
  /** A point in time: a date, month, weekday, year, season or clock time. */
  TIME("\\bwhen\\b|\\b(what|which) (year|date|time|day|month|weekday|season|hour)\\b|\\bhow long ago\\b"
      + "|\\bsince when\\b|\\buntil when\\b",
      "(?i:\\b(january|february|april|june|july|september|october|november|december)\\b)",
      // May, March and August are also a modal, a verb and an adjective ("May I ask", "march on", "an august
      // panel"): a month when a number or a time's preposition stands next to it, or (August) when capitalised
      "(?i:\\b(may|march|august)\\s+(\\d+|" + Patterns.NUMBER_WORD + "\\b))",
      "(?i:\\b(\\d{1,2}(st|nd|rd|th)?\\s+|(in|on|by|since|until|till|from|through|during|before|after|early|late|mid"
          + "|next|last|every|each|of)\\s+)(may|march|august)\\b)",
      "\\bAugust\\b",
      "(?i:\\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\\b)",
      "(?i:\\b(today|tomorrow|yesterday|tonight)\\b)",
      "(?i:\\b(spring|summer|autumn|winter)\\b)",
      "\\b(1[6-9]|20)\\d\\d\\b",
      "(?i:\\b(nineteen|twenty)[ -](hundred|oh|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
          + "|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)([ -](one|two|three|four|five|six|seven"
          + "|eight|nine))?\\b)",
      "(?i:\\b\\d{1,2}[:.]\\d\\d\\s*(am|pm|a\\.m\\.|p\\.m\\.|h)?(?!\\d))",
      "(?i:\\b\\d{1,2}\\s*(am|pm|a\\.m\\.|p\\.m\\.|o'clock)(?!\\p{L}))",
      "(?i:\\b(noon|midnight|o'clock)\\b)",
      // a spoken clock time: "eight thirty in the morning", "nine in the evening"
      "(?i:\\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(\\s+(oh\\s+)?(five|ten|fifteen"
          + "|twenty|thirty|forty|fifty)(\\s+five)?)?\\s+(in the (morning|afternoon|evening)|at night)\\b)"),
  /** A place: a city, country, river, site, venue... */
  PLACE("\\bwhere\\b|\\b(which|what|in which|in what) (" + Patterns.PLACE_NOUN + ")\\b",
      "\\b(in|at|from|near|across|outside|inside|around|on)\\s+(the\\s+)?((?i:" + Patterns.PLACE_NOUN + ")\\s+(of\\s+)?)?"
          + "(?!" + Patterns.NOT_A_PLACE + "\\b)\\p{Lu}\\p{Ll}+",
      "(?i:\\b(" + Patterns.PLACE_NOUN + "))\\s+(of\\s+)?\\p{Lu}\\p{Ll}+",
      "(?i:\\b(city|town|village|county|province|republic|island|port|state) of\\s+(?!" + Patterns.FUNCTION_WORD
          + "\\b)\\p{L}{2,})"),
  /** A count, amount, duration, frequency, size or share. */
  NUMBER("\\bhow (many|much|long|often|far|big|old|large|tall|high|fast|heavy|wide|deep|small)\\b"
      + "|\\b(what|which) (percentage|percent|number|amount|share|proportion|fraction|price|cost)\\b",
      "\\d",
      "(?i:\\b(?!one\\b)" + Patterns.NUMBER_WORD + "\\b)",
      "(?i:\\bone\\s+(point|hundred|thousand|million|billion|and)\\b)",
      "(?i:\\b(dozen|dozens|half|once|twice|hundreds|thousands|millions)\\b)");

  /**
   * The roles a {@link #PERSON} is labelled with on screen or in a credit ("Speaker: Maria Lopez", "hosted by Nora
   * Quist"), each with what a person in that role does as a question says it ("Who is giving this lecture?" asks for
   * the speaker, "Who hosts the show?" for the host): verbs and the role's own name, not the event ("Who attended
   * the lecture?" asks for no speaker). A self-introduction ("my name is...") is the person speaking.
   */
  enum Role {
    SPEAKER("speaker|speakers|presenter|presenters|lecturer|presented by|given by", "present|presents|presenting"
        + "|presented|give|gives|giving|gave|speak|speaks|speaking|spoke|talking|talked|speaker"),
    HOST("host|hosts|hosted by", "host|hosts|hosting|hosted|present|presents|presenting"),
    CHAIR("moderator|chair|moderated by|chaired by", "chair|chairs|chairing|chaired|moderate|moderates|moderating"
        + "|moderated|moderator|lead|leads|leading|led|run|runs|running|ran"),
    AUTHOR("author|authors|written by", "write|writes|wrote|written|writing|author|authored"),
    GUEST("guest|guests|interviewee", "guest|guests|invited|visiting|visits"),
    NARRATOR("narrator", "narrate|narrates|narrating|narrated|narration|narrator|voices|voiced|tells|told"),
    INTERVIEWER("interviewer", "interview|interviews|interviewing|interviewer|asks|asking"),
    DIRECTOR("directed by", "direct|directs|directed|directing|director");

    /** Any role's label, case-insensitive, as the role-label pattern of {@link #PERSON} starts. */
    static final String LABEL = "(?i:\\b(" + String.join("|", Arrays.stream(values()).map(r -> r.labels).toList()) + "))";
    /** What the person speaking does, for a self-introduction. */
    static final Set<String> SPEAKING = Set.of("speak", "speaks", "speaking", "spoke", "talking", "talked",
        "give", "gives", "giving", "gave", "present", "presents", "presenting", "host", "hosts", "hosting", "narrate",
        "narrates", "narrating", "introduce", "introduces", "welcomes", "speaker", "presenter", "narrator");
    private final String labels;
    private final Pattern label;
    private final Set<String> acts;

    Role(String labels, String acts) {
      this.labels = labels;
      this.label = Pattern.compile("(?i:\\b(" + labels + "))(?:\\h*+:)?\\h++(" + Patterns.HONORIFIC + "\\.?\\h+)?"
          + Patterns.NAME);
      this.acts = Set.of(acts.split("\\|"));
    }
  }

  /**
   * What the people {@link #PERSON} finds in {@code line} by their role do: the acts of each role labelled there
   * ({@link Role}), and of the person speaking for a self-introduction; empty for other types and for a name with
   * only an honorific ("Dr. Ada Byrne" has no role).
   */
  public List<Set<String>> roleActsIn(CharSequence line) {
    if (this != PERSON) {
      return List.of();
    }
    List<Set<String>> out = new ArrayList<>();
    for (Role r : Role.values()) {
      if (r.label.matcher(line).find()) {
        out.add(r.acts);
      }
    }
    if (answers.get(SELF_INTRODUCTION).matcher(line).find() || answers.get(SELF_INTRODUCTION + 1).matcher(line).find()) {
      out.add(Role.SPEAKING);
    }
    return out;
  }

  /** Whether {@code line} labels a person with a role ({@link Role}); false for other types. */
  public boolean labelsARole(CharSequence line) {
    return this == PERSON && answers.get(ROLE_LABEL).matcher(line).find();
  }

  /** Shared pieces of the patterns above. */
  private static final class Patterns {
    /** Honorifics and titles that stand before a name ("Dr. Ada Byrne", "Mayor Helen Okafor"). */
    static final String HONORIFIC = "\\b(Dr|Prof|Professor|Doctor|Mr|Mrs|Ms|Mx|Sir|Dame|Rev|Mayor|President|Minister"
        + "|Senator|Governor|Judge|Chancellor|Councillor|Councilor|Captain|Inspector)";
    /** A capitalised name of one or more words on one line ("Maria", "Maria Lopez", "O'Neill"). */
    static final String NAME = "\\p{Lu}[\\p{L}'-]+(\\h+\\p{Lu}[\\p{L}'-]+)*";
    static final String NUMBER_WORD = "(" + String.join("|", EnglishNumbers.words()) + ")";
    static final String PLACE_NOUN = "city|cities|country|countries|town|village|place|region|state|province|county"
        + "|continent|river|lake|sea|ocean|bay|island|mountain|mount|valley|street|road|square|site|location|venue|room"
        + "|building|campus|station|airport|harbour|harbor|port|park";
    /** Capitalised words that follow "in" or "on" but name a time, not a place. */
    static final String NOT_A_PLACE = "(January|February|March|April|May|June|July|August|September|October|November"
        + "|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Spring|Summer|Autumn|Winter|The|A|An"
        + "|This|That|These|Those|Our|My|Your|Their|His|Her|Its|Page|Slide|Phase|Step|Part|Chapter|Section|Figure|Table)";
    static final String FUNCTION_WORD = "(a|an|the|not|so|very|going|here|there|sure|happy|glad|sorry|just|also|now|"
        + "and|or|that|this|it|to|in|on|at|of|from|with|by|for)";

    private Patterns() {}
  }

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]{3,}");
  /** Indexes of {@link #PERSON}'s answer patterns: the role label, then the two self-introductions. */
  private static final int ROLE_LABEL = 1;
  private static final int SELF_INTRODUCTION = 2;
  private final Pattern questionCue;
  private final List<Pattern> answers;

  AnswerType(String questionCue, String... answers) {
    this.questionCue = Pattern.compile(questionCue);
    this.answers = Arrays.stream(answers).map(Pattern::compile).toList();
  }

  /**
   * The type {@code question} asks for: the type whose cue starts first in it (a longer cue wins a tie, so "how long
   * ago" is a time and "how long" a number), or empty when it has none.
   */
  public static Optional<AnswerType> askedBy(String question) {
    String q = question.toLowerCase(Locale.ROOT);
    AnswerType best = null;
    int bestStart = Integer.MAX_VALUE;
    int bestLength = 0;
    for (AnswerType t : values()) {
      Matcher m = t.questionCue.matcher(q);
      if (m.find() && (m.start() < bestStart || m.start() == bestStart && m.end() - m.start() > bestLength)) {
        best = t;
        bestStart = m.start();
        bestLength = m.end() - m.start();
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether {@code text} (a slide line, a sentence, a whole evidence text) holds an answer of this type. */
  public boolean foundIn(CharSequence text) {
    return !answersIn(text).isEmpty();
  }

  /**
   * The answers of this type in {@code text}, as written there and in order, e.g. {@code [Speaker: Dr. Maria Lopez,
   * Dr. Maria Lopez]}; a number that is part of a time ("2024" of "March 2024", "twenty twenty five") is not a
   * {@link #NUMBER}.
   */
  public List<String> answersIn(CharSequence text) {
    List<int[]> times = this == NUMBER ? spans(TIME, text) : List.of();
    List<int[]> found = spans(this, text).stream()
        .filter(n -> times.stream().noneMatch(t -> t[0] <= n[0] && n[1] <= t[1])).toList();
    return found.stream().sorted(Comparator.comparingInt((int[] f) -> f[0]))
        .map(f -> text.subSequence(f[0], f[1]).toString()).toList();
  }

  /**
   * Whether {@code other} repeats a word (of three or more letters or digits, not a number word such as "million") of
   * an answer of this type in {@code text}: the speaker's "my name is maria lopez" under the slide "Speaker: Dr. Maria
   * Lopez".
   */
  public boolean repeatedIn(String text, String other) {
    Set<String> words = words(other);
    return answersIn(text).stream().flatMap(a -> words(a).stream())
        .anyMatch(w -> !EnglishNumbers.isNumberWord(w) && words.contains(w));
  }

  private static List<int[]> spans(AnswerType type, CharSequence text) {
    List<int[]> out = new ArrayList<>();
    for (Pattern p : type.answers) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        out.add(new int[] {m.start(), m.end()});
      }
    }
    return out;
  }

  private static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
