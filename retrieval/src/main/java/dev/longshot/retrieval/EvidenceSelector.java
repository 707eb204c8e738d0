package dev.longshot.retrieval;

import dev.longshot.config.RetrievalSettings;
import dev.longshot.retrieval.answer.KeyTerms;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.query.ObjectInfo;
import dev.longshot.retrieval.query.ObjectTextFilter;
import dev.longshot.retrieval.query.RetrievalPlan;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link RetrievalPlan}'s requests and keeps the hits that count as evidence. Searches: the question over
 * all modalities; the question plus the ASR request over speech; the question plus the objects and quoted phrases
 * over on-screen text (Video-RAG extends the OCR query with DET terms); the objects over detections. A hit is
 * accepted when its cosine similarity reaches {@code retrieval.min-similarity}, when it contains a quoted phrase
 * of the question, when it holds every key term of the question ({@link KeyTerms#holdsAll}: "Who is the speaker?"
 * and a slide "Speaker: Dr. Maria Lopez"), when it holds at least half of its key terms and a line that answers
 * ({@link KeyTerms#answersInAUnit}: an answer of the kind the question asks for about its subject, on a line
 * holding half the key terms itself,
 * {@link dev.longshot.retrieval.answer.AnswerType}; "Who is giving this lecture?" and the title slide "River
 * monitoring lecture / Speaker: Dr. Maria Lopez", but not a slide whose only name is its press contact), or when it is a detection naming a requested object.
 * Text of the same moment as accepted evidence that answers too is kept after it ({@link #withTheirMoments}).
 * Detection texts are cut to the TYPE asked for. The same moment found by several requests (overlapping spans of one
 * modality) is kept once, at its best score.
 */
final class EvidenceSelector {
  private static final Set<Modality> SPEECH = Set.of(Modality.ASR, Modality.SUBTITLE);
  /** What is read and said, the modalities answer typing reads. */
  private static final Set<Modality> TEXT = Set.of(Modality.ASR, Modality.SUBTITLE, Modality.OCR);
  private final EvidenceIndex index;
  private final RetrievalSettings settings;

  EvidenceSelector(EvidenceIndex index, RetrievalSettings settings) {
    this.index = index;
    this.settings = settings;
  }

  List<Evidence> select(String question, RetrievalPlan plan, Set<String> videoIds) {
    SearchRequest base = new SearchRequest(question, videoIds, Set.of(), null, null, settings.topK());
    KeyTerms keyTerms = new KeyTerms(question);
    float[] vector = index.embedder().embedQuery(question);
    List<SearchHit> hits = new ArrayList<>(index.searchWithVector(base, vector));
    if (plan.asr() != null) {
      hits.addAll(index.search(base.withQuery(question + " " + plan.asr()).withModalities(SPEECH)));
    }
    String extra = String.join(" ", plan.objects()) + " " + String.join(" ", plan.phrases());
    hits.addAll(index.search(base.withQuery(question + " " + extra).withModalities(Set.of(Modality.OCR))));
    if (!plan.objects().isEmpty()) {
      hits.addAll(index.search(base.withQuery(String.join(" ", plan.objects())).withModalities(Set.of(Modality.DET))));
    }
    hits.sort(Comparator.comparingDouble(SearchHit::score).reversed());
    List<Evidence> kept = new ArrayList<>();
    List<Evidence> weakAnswers = new ArrayList<>();
    for (SearchHit h : hits) {
      if (kept.size() < settings.topK() && accepted(h, plan, keyTerms) && kept.stream().noneMatch(k -> overlaps(k, h.evidence()))) {
        kept.add(trim(h.evidence(), plan.objectInfo()));
        if (h.similarity() < settings.minSimilarity() && h.evidence().modality() != Modality.DET
            && keyTerms.holdsAnswer(h.evidence().text())) {
          weakAnswers.add(h.evidence());
        }
      }
    }
    return withTheirMoments(kept, weakAnswers, hits, base, vector, keyTerms);
  }

  private boolean accepted(SearchHit h, RetrievalPlan plan, KeyTerms keyTerms) {
    if (h.similarity() >= settings.minSimilarity()) {
      return true;
    }
    String text = h.evidence().text().toLowerCase(Locale.ROOT);
    if (plan.phrases().stream().anyMatch(p -> !p.isBlank() && text.contains(p.toLowerCase(Locale.ROOT)))) {
      return true;
    }
    if (h.evidence().modality() != Modality.DET && (keyTerms.holdsAll(text)
        || keyTerms.holdsHalf(text) && keyTerms.answersInAUnit(h.evidence().text()))) {
      return true;
    }
    return h.evidence().modality() == Modality.DET && plan.objects().stream().anyMatch(text::contains);
  }

  /**
   * {@code kept} with the text of their moments that answers too, each right after the kept evidence of its moment:
   * a slide, sentence or subtitle below the cut-off that overlaps kept evidence in time (same video) and holds most
   * of the question's key terms ({@link KeyTerms#holdsMost}), or an answer of the asked type with half the key terms
   * or a word of the kept evidence's answer ({@link #answersToo}). The moment of evidence kept below the cut-off
   * that holds an answer of the asked type ({@code weakAnswers}) is also searched on its own (one more search each;
   * evidence above the cut-off needs none), so the speaker's "my name is maria lopez" under the title slide
   * "Speaker: Dr. Maria Lopez" is found for "Who is giving this lecture?".
   */
  private List<Evidence> withTheirMoments(List<Evidence> kept, List<Evidence> weakAnswers, List<SearchHit> hits,
      SearchRequest base, float[] vector, KeyTerms keyTerms) {
    List<SearchHit> candidates = new ArrayList<>(hits);
    for (Evidence anchor : weakAnswers) {
      candidates.addAll(index.searchWithVector(new SearchRequest(base.query(), Set.of(anchor.videoId()), TEXT,
          anchor.startMillis(), anchor.endMillis(), settings.topK()), vector));
    }
    Map<Evidence, List<Evidence>> added = new LinkedHashMap<>();
    int count = kept.size();
    for (SearchHit h : candidates) {
      Evidence e = h.evidence();
      if (count >= settings.topK() || e.modality() == Modality.DET || kept.stream().anyMatch(k -> overlaps(k, e))
          || added.values().stream().flatMap(List::stream).anyMatch(k -> overlaps(k, e))) {
        continue;
      }
      kept.stream().filter(k -> k.modality() != Modality.DET && sameMoment(k, e) && answersToo(e, k, keyTerms))
          .findFirst().ifPresent(anchor -> added.computeIfAbsent(anchor, a -> new ArrayList<>()).add(e));
      count = kept.size() + (int) added.values().stream().mapToLong(List::size).sum();
    }
    List<Evidence> out = new ArrayList<>();
    for (Evidence k : kept) {
      out.add(k);
      out.addAll(added.getOrDefault(k, List.of()));
    }
    return List.copyOf(out);
  }

  private static Evidence trim(Evidence e, Set<ObjectInfo> info) {
    if (e.modality() != Modality.DET) {
      return e;
    }
    return new Evidence(e.videoId(), e.modality(), e.startMillis(), e.endMillis(), ObjectTextFilter.apply(e.text(), info),
        e.keyframe(), e.score());
  }

  /**
   * Whether {@code e}, of the same moment as {@code anchor}, answers too: it holds most key terms, or an answer of the
   * asked type and either half the key terms or a word of an answer {@code anchor} holds.
   */
  private static boolean answersToo(Evidence e, Evidence anchor, KeyTerms keyTerms) {
    return keyTerms.holdsMost(e.text()) || keyTerms.holdsAnswer(e.text()) && (keyTerms.holdsHalf(e.text())
        || keyTerms.repeatsAnswer(anchor.text(), e.text()));
  }

  /** Same video and intersecting spans, of any modalities: what is shown and said at one moment. */
  private static boolean sameMoment(Evidence a, Evidence b) {
    return a.videoId().equals(b.videoId()) && a.startMillis() <= b.endMillis() && b.startMillis() <= a.endMillis();
  }

  /** Same video and modality and intersecting spans: the same moment found by two requests. */
  private static boolean overlaps(Evidence a, Evidence b) {
    return a.videoId().equals(b.videoId()) && a.modality() == b.modality()
        && a.startMillis() <= b.endMillis() && b.startMillis() <= a.endMillis();
  }
}
