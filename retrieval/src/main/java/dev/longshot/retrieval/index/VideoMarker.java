package dev.longshot.retrieval.index;

/**
 * What a video's marker document ({@link IndexSchema#TYPE_VIDEO}) tells every backend alike: the video is indexed,
 * and from a record with this settings fingerprint. {@link EvidenceIndex#contains} and {@link
 * EvidenceIndex#findVideo} decide on it once for all backends.
 */
public record VideoMarker(String videoId, String settingsFingerprint) {}
