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
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs a {@link RetrievalPlan}'s requests and keeps the hits that count as evidence. Searches: the question over
 * all modalities; the question plus the ASR request over speech; the question plus the objects and quoted phrases
 * over on-screen text (Video-RAG extends the OCR query with DET terms); the objects over detections. A hit is
 * accepted when its cosine similarity reaches {@code retrieval.min-similarity}, when it contains a quoted phrase
 * of the question, when it holds every key term of the question ({@link KeyTerms#holdsAll}: "Who is the speaker?"
 * and a slide "Speaker: Dr. Maria Lopez"), or when it is a detection naming a requested object. Detection texts are cut to the TYPE
 * asked for. The same moment found by several requests (overlapping spans of one modality) is kept once, at its best score.
 */
final class EvidenceSelector {
  private static final Set<Modality> SPEECH = Set.of(Modality.ASR, Modality.SUBTITLE);
  private final EvidenceIndex index;
  private final RetrievalSettings settings;

  EvidenceSelector(EvidenceIndex index, RetrievalSettings settings) {
    this.index = index;
    this.settings = settings;
  }

  List<Evidence> select(String question, RetrievalPlan plan, Set<String> videoIds) {
    SearchRequest base = new SearchRequest(question, videoIds, Set.of(), null, null, settings.topK());
    KeyTerms keyTerms = new KeyTerms(question);
    List<SearchHit> hits = new ArrayList<>(index.search(base));
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
    for (SearchHit h : hits) {
      if (kept.size() < settings.topK() && accepted(h, plan, keyTerms) && kept.stream().noneMatch(k -> overlaps(k, h.evidence()))) {
        kept.add(trim(h.evidence(), plan.objectInfo()));
      }
    }
    return List.copyOf(kept);
  }

  private boolean accepted(SearchHit h, RetrievalPlan plan, KeyTerms keyTerms) {
    if (h.similarity() >= settings.minSimilarity()) {
      return true;
    }
    String text = h.evidence().text().toLowerCase(Locale.ROOT);
    if (plan.phrases().stream().anyMatch(p -> !p.isBlank() && text.contains(p.toLowerCase(Locale.ROOT)))) {
      return true;
    }
    if (h.evidence().modality() != Modality.DET && keyTerms.holdsAll(text)) {
      return true;
    }
    return h.evidence().modality() == Modality.DET && plan.objects().stream().anyMatch(text::contains);
  }

  private static Evidence trim(Evidence e, Set<ObjectInfo> info) {
    if (e.modality() != Modality.DET) {
      return e;
    }
    return new Evidence(e.videoId(), e.modality(), e.startMillis(), e.endMillis(), ObjectTextFilter.apply(e.text(), info),
        e.keyframe(), e.score());
  }

  /** Same video and modality and intersecting spans: the same moment found by two requests. */
  private static boolean overlaps(Evidence a, Evidence b) {
    return a.videoId().equals(b.videoId()) && a.modality() == b.modality()
        && a.startMillis() <= b.endMillis() && b.startMillis() <= a.endMillis();
  }
}
