package dev.longshot.embeddings.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Generates LongEmbed-style synthetic retrieval tasks (Zhu et al. 2024, section 2) from text written for this
 * project, so no data set is needed. Every document of a set shares one generated haystack; only the inserted
 * sentence (and where it sits, drawn uniformly) differs, so a query can only be matched by reading that sentence:
 *
 * <ul>
 *   <li>passkey: "{name}'s pass key is {digits}. Remember it. {digits} is the pass key for {name}." with query "what
 *       is the pass key for {name}?"
 *   <li>needle: a one-sentence fact (best thing to do in a city, secret ingredient, colour of a vehicle) inside an
 *       essay-like haystack, with a question about it as the query.
 *   <li>spread (LoCoV1-style, Saad-Falcon et al. 2024: long documents where the answer needs facts spread across
 *       the document): three facts about "the bridge project" (who leads it, its city, its material), one in each
 *       third of the document. Each fact is drawn from a small pool, so most single facts are shared by several
 *       documents of the set; only the combination is unique, and the query names all three, so one chunk (or one
 *       window) holding one fact cannot tell those documents apart.
 * </ul>
 *
 * Deterministic for a given seed and token counter. Not thread-safe.
 */
public final class SyntheticLongTasks {
  private static final String[] FIRST = {"Ada", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hugo",
      "Ines", "Jonas", "Keiko", "Lars", "Maya", "Nikos", "Olga", "Pavel", "Quinn", "Rosa", "Samir", "Tara", "Umar",
      "Vera", "Wim", "Xenia", "Yusuf", "Zora"};
  private static final String[] LAST = {"Abbott", "Barros", "Castell", "Dorsey", "Eriksen", "Ferrante", "Galloway",
      "Hartmann", "Iwata", "Jovanovic", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov"};
  private static final String[] CITIES = {"Lisbon", "Oslo", "Kyoto", "Tunis", "Quito", "Krakow", "Hanoi", "Dakar",
      "Perth", "Bergen", "Cusco", "Tbilisi", "Valletta", "Riga", "Porto", "Accra", "Split", "Lyon", "Cork", "Ghent"};
  private static final String[] ACTIVITIES = {"ride the first tram at dawn", "eat fried sardines by the harbour",
      "climb the old bell tower", "swim in the cold lake before breakfast", "listen to street organ music",
      "walk the city walls at sunset", "buy warm bread at the night bakery", "rent a rowing boat on the river"};
  private static final String[] DISHES = {"lentil soup", "plum cake", "fish stew", "onion tart", "rice pudding"};
  private static final String[] INGREDIENTS = {"smoked paprika", "a spoon of honey", "roasted fennel seeds",
      "lemon zest", "dark cocoa", "pickled ginger", "a pinch of saffron", "brown butter"};
  private static final String[] COLOURS = {"bright orange", "pale green", "deep purple", "lemon yellow", "sky blue"};
  private static final String[] VEHICLES = {"tractor", "motorbike", "camper van", "delivery truck", "sailing boat"};

  private static final String[] MATERIALS = {"timber", "brick", "steel", "stone", "glass", "bamboo", "concrete"};

  private static final String[] SUBJECTS = {"The river", "The old library", "A quiet village", "The northern road",
      "The market square", "The mountain path", "A small garden", "The harbour wall", "The museum hall",
      "The night train"};
  private static final String[] PREDICATES = {"stays calm through the long winter",
      "was rebuilt after the great flood", "is busy every Saturday morning", "looks different in the autumn light",
      "has been painted many times", "leads towards the distant hills", "fills with visitors in the summer",
      "was described in an old travel book", "echoes with the sound of bells", "is where the story began"};
  private static final String[] ESSAY = {"Most good ideas look like bad ideas at first", "Startups grow by solving"
      + " a problem that users feel every day", "Writing is a way of finding out what you think",
      "The hardest part of learning is noticing what you do not know", "Cities change slowly and then all at once",
      "A tool shapes the habits of the people who use it", "Patience is often cheaper than cleverness",
      "Small teams move faster because they talk less and build more"};
  private static final String[] ESSAY_TAILS = {"and that is easy to forget.", "which surprised many people.",
      "even when nobody is watching.", "as history shows again and again.", "so it pays to start early.",
      "though the reasons are rarely obvious."};

  private final ToIntFunction<String> tokenCounter;
  private final long seed;

  /** {@code tokenCounter} counts content tokens of a text (the embedder's tokenizer, no special tokens). */
  public SyntheticLongTasks(ToIntFunction<String> tokenCounter, long seed) {
    this.tokenCounter = tokenCounter;
    this.seed = seed;
  }

  /** Passkey retrieval: {@code count} documents of about {@code lengthTokens} tokens. */
  public RetrievalTask passkey(int lengthTokens, int count) {
    Random rnd = new Random(seed ^ (31L * lengthTokens) ^ 0x9A55L);
    List<String> names = distinctNames(rnd, count);
    List<String> needles = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    for (String name : names) {
      String key = String.valueOf(10_000 + rnd.nextInt(90_000));
      needles.add(name + "'s pass key is " + key + ". Remember it. " + key + " is the pass key for " + name + ".");
      queries.add("what is the pass key for " + name + "?");
    }
    return build("passkey", lengthTokens, needles, queries, rnd, false);
  }

  /** Needle retrieval: {@code count} documents of about {@code lengthTokens} tokens. */
  public RetrievalTask needle(int lengthTokens, int count) {
    Random rnd = new Random(seed ^ (31L * lengthTokens) ^ 0x7EEDL);
    List<String> names = distinctNames(rnd, count);
    List<String> needles = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = names.get(i);
      String city = CITIES[i % CITIES.length];
      switch (i % 3) {
        case 0 -> {
          needles.add("The best thing to do in " + city + " is to " + pick(rnd, ACTIVITIES) + ".");
          queries.add("What is the best thing to do in " + city + "?");
        }
        case 1 -> {
          String dish = pick(rnd, DISHES);
          needles.add("The secret ingredient of " + name + "'s " + dish + " is " + pick(rnd, INGREDIENTS) + ".");
          queries.add("What is the secret ingredient of " + name + "'s " + dish + "?");
        }
        default -> {
          String vehicle = pick(rnd, VEHICLES);
          needles.add("The " + vehicle + " that " + name + " drove across " + city + " was painted "
              + pick(rnd, COLOURS) + ".");
          queries.add("What colour was the " + vehicle + " that " + name + " drove across " + city + "?");
        }
      }
    }
    return build("needle", lengthTokens, needles, queries, rnd, true);
  }

  /**
   * LoCoV1-style spread facts: {@code count} documents of about {@code lengthTokens} tokens, each with three facts
   * drawn from pools of {@code s} values ({@code s} the least with s^3 >= 2 count), distinct as a combination.
   */
  public RetrievalTask spread(int lengthTokens, int count) {
    Random rnd = new Random(seed ^ (31L * lengthTokens) ^ 0x5B8EADL);
    int s = 2;
    while (s * s * s < 2 * count) {
      s++;
    }
    if (s > Math.min(CITIES.length, MATERIALS.length)) {
      throw new IllegalArgumentException("at most " + MATERIALS.length * MATERIALS.length * MATERIALS.length / 2
          + " documents per spread set, asked " + count);
    }
    List<String> leaders = distinctNames(rnd, s);
    List<Integer> combos = new ArrayList<>();
    for (int i = 0; i < s * s * s; i++) {
      combos.add(i);
    }
    Collections.shuffle(combos, rnd);
    List<List<String>> facts = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    for (int combo : combos.subList(0, count)) {
      String leader = leaders.get(combo % s);
      String city = CITIES[combo / s % s];
      String material = MATERIALS[combo / (s * s)];
      facts.add(List.of("The bridge project is led by " + leader + ".", "The bridge project is based in " + city + ".",
          "The bridge project is built with " + material + "."));
      queries.add("Which bridge project is led by " + leader + ", based in " + city + " and built with " + material + "?");
    }
    int factTokens = facts.stream().mapToInt(f -> f.stream().mapToInt(tokenCounter::applyAsInt).sum()).max().orElse(0);
    List<String> haystack = haystack(lengthTokens - 2 - factTokens, rnd, true);
    List<String> docs = new ArrayList<>();
    for (List<String> f : facts) {
      List<String> sentences = new ArrayList<>(haystack);
      int n = haystack.size();
      // fact i at a random place in third i; inserting from the back keeps the earlier places where they were
      for (int i = 2; i >= 0; i--) {
        int from = i * n / 3;
        int to = (i + 1) * n / 3;
        sentences.add(from + rnd.nextInt(to - from + 1), f.get(i));
      }
      docs.add(String.join(" ", sentences));
    }
    return new RetrievalTask("spread", lengthTokens, docs, queries);
  }

  private RetrievalTask build(String task, int lengthTokens, List<String> needles, List<String> queries,
      Random rnd, boolean essay) {
    int longestNeedle = needles.stream().mapToInt(tokenCounter::applyAsInt).max().orElse(0);
    List<String> haystack = haystack(lengthTokens - 2 - longestNeedle, rnd, essay);
    List<String> docs = new ArrayList<>();
    for (String needle : needles) {
      int at = rnd.nextInt(haystack.size() + 1);
      List<String> sentences = new ArrayList<>(haystack);
      sentences.add(at, needle);
      docs.add(String.join(" ", sentences));
    }
    return new RetrievalTask(task, lengthTokens, docs, queries);
  }

  /** Filler sentences of at most {@code budget} tokens in all. */
  private List<String> haystack(int budget, Random rnd, boolean essay) {
    List<String> haystack = new ArrayList<>();
    int used = 0;
    while (true) {
      String s = essay ? pick(rnd, ESSAY) + " " + pick(rnd, ESSAY_TAILS) : pick(rnd, SUBJECTS) + " "
          + pick(rnd, PREDICATES) + ".";
      int n = tokenCounter.applyAsInt(s);
      if (used + n > budget) {
        break;
      }
      haystack.add(s);
      used += n;
    }
    return haystack;
  }

  private static List<String> distinctNames(Random rnd, int count) {
    List<String> all = new ArrayList<>();
    for (String f : FIRST) {
      for (String l : LAST) {
        all.add(f + " " + l);
      }
    }
    if (count > all.size()) {
      throw new IllegalArgumentException("at most " + all.size() + " documents per set, asked " + count);
    }
    Collections.shuffle(all, rnd);
    return all.subList(0, count);
  }

  private static String pick(Random rnd, String[] options) {
    return options[rnd.nextInt(options.length)];
  }
}
