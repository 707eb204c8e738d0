package dev.longshot.retrieval;

import dev.longshot.capabilities.VisionLanguageGenerator;
import dev.longshot.config.AnswerSettings;
import dev.longshot.config.DecomposerKind;
import dev.longshot.retrieval.answer.Answerer;
import dev.longshot.retrieval.answer.Answerers;
import dev.longshot.retrieval.answer.KeyframeResolver;
import dev.longshot.retrieval.answer.VideoNames;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.query.ModelQueryDecomposer;
import dev.longshot.retrieval.query.QueryDecomposer;
import dev.longshot.retrieval.query.RetrievalPlan;
import dev.longshot.retrieval.query.RuleBasedDecomposer;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The question-answering use case: check the question, decompose it (Video-RAG), run the retrieval requests,
 * keep the evidence that passes the thresholds ({@link EvidenceSelector}), and hand it to the answerer. Evidence
 * goes to the evidence sink before the first answer token, so a UI can show the moments while the answer streams.
 * Thread-safe when its parts are (all bundled ones are).
 */
public final class QuestionAnswering {
  /** Longest accepted question, in characters: the one limit of {@code bin/longshot ask} and {@code POST /api/ask}. */
  public static final int MAX_QUESTION_CHARS = 1000;
  private final EvidenceIndex index;
  private final QueryDecomposer decomposer;
  private final Answerer answerer;
  private final EvidenceSelector selector;

  public QuestionAnswering(EvidenceIndex index, QueryDecomposer decomposer, Answerer answerer) {
    this.index = Objects.requireNonNull(index, "index");
    this.decomposer = Objects.requireNonNull(decomposer, "decomposer");
    this.answerer = Objects.requireNonNull(answerer, "answerer");
    this.selector = new EvidenceSelector(index, index.settings());
  }

  /**
   * Builds the use case from settings: the decomposer from {@code retrieval.decomposer} (the index's settings),
   * the answerer from {@code answer.backend}.
   *
   * @param embedded the vlm-runtime seam, or null when no model is loaded
   */
  public static QuestionAnswering create(EvidenceIndex index, AnswerSettings answer, KeyframeResolver keyframes,
      VisionLanguageGenerator embedded) {
    return create(index, answer, keyframes, embedded, VideoNames.none());
  }

  /** As {@link #create(EvidenceIndex, AnswerSettings, KeyframeResolver, VisionLanguageGenerator)}, with the file
   * names answers cite videos by ({@link VideoNames}). */
  public static QuestionAnswering create(EvidenceIndex index, AnswerSettings answer, KeyframeResolver keyframes,
      VisionLanguageGenerator embedded, VideoNames videoNames) {
    RuleBasedDecomposer rules = RuleBasedDecomposer.withCocoClasses();
    QueryDecomposer decomposer = rules;
    if (index.settings().decomposer() == DecomposerKind.MODEL) {
      decomposer = Answerers.textCompletion(answer, embedded)
          .<QueryDecomposer>map(model -> new ModelQueryDecomposer(model, rules))
          .orElseThrow(() -> new IllegalArgumentException("retrieval.decomposer=model needs a model: set "
              + "answer.backend to openai or embedded (it is " + answer.backend() + "), or use retrieval.decomposer=rules"));
    }
    return new QuestionAnswering(index, decomposer, Answerers.create(answer, keyframes, embedded, videoNames));
  }

  /**
   * Answers {@code question} over {@code videoIds} (empty: all indexed videos).
   *
   * @param evidenceSink receives the selected evidence once, before the answer
   * @param tokenSink receives the answer text as it is produced
   * @throws IllegalArgumentException for an empty or too long question or an unknown video id
   * @throws IllegalStateException when nothing is indexed yet
   */
  public Answer ask(String question, Set<String> videoIds, Consumer<List<Evidence>> evidenceSink, Consumer<String> tokenSink) {
    List<Evidence> evidence = retrieve(question, videoIds);
    evidenceSink.accept(evidence);
    return answerer.answer(question.strip(), evidence, tokenSink);
  }

  /** The evidence {@link #ask} would answer from, most relevant first (for evaluation and the search UI). */
  public List<Evidence> retrieve(String question, Set<String> videoIds) {
    String q = checkQuestion(question);
    Set<String> ids = checkVideos(videoIds == null ? Set.of() : videoIds);
    RetrievalPlan plan = decomposer.decompose(q);
    return selector.select(q, plan, ids);
  }

  /** The decomposer in use. */
  public QueryDecomposer decomposer() {
    return decomposer;
  }

  static String checkQuestion(String question) {
    if (question == null || question.isBlank()) {
      throw new IllegalArgumentException("The question is empty");
    }
    String q = question.strip();
    if (q.length() > MAX_QUESTION_CHARS) {
      throw new IllegalArgumentException("The question is " + q.length() + " characters long; at most "
          + MAX_QUESTION_CHARS + " are allowed");
    }
    return q;
  }

  private Set<String> checkVideos(Set<String> videoIds) {
    List<String> indexed = index.videoIds();
    if (indexed.isEmpty()) {
      throw new IllegalStateException("The index at " + index.location() + " holds no videos yet; ingest one first "
          + "(bin/longshot ingest FILE)");
    }
    Set<String> unknown = new TreeSet<>(videoIds);
    unknown.removeAll(indexed);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Unknown video id" + (unknown.size() > 1 ? "s " : " ") + unknown
          + "; indexed videos: " + indexed);
    }
    return videoIds;
  }
}
