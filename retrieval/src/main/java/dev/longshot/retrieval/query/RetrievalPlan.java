package dev.longshot.retrieval.query;

import java.util.List;
import java.util.Set;

/**
 * What to retrieve for one question (Video-RAG's decomposition result plus lexical cues).
 *
 * @param asr text to look for in speech (Video-RAG "ASR"), or null when speech is not needed
 * @param objects physical objects to look for in detections and on screen (Video-RAG "DET"), lower case
 * @param objectInfo what is wanted about those objects (Video-RAG "TYPE")
 * @param phrases quoted phrases from the question, matched as phrases
 * @param source {@code rules} or {@code model}, for logs and tests
 */
public record RetrievalPlan(String asr, List<String> objects, Set<ObjectInfo> objectInfo, List<String> phrases, String source) {
  public RetrievalPlan {
    asr = asr == null || asr.isBlank() ? null : asr.strip();
    objects = objects == null ? List.of() : List.copyOf(objects);
    objectInfo = objectInfo == null ? Set.of() : Set.copyOf(objectInfo);
    phrases = phrases == null ? List.of() : List.copyOf(phrases);
    source = source == null ? "" : source;
  }
}
