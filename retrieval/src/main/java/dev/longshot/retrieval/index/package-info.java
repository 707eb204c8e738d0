/**
 * The on-disk Lucene index of evidence ({@link dev.longshot.retrieval.index.EvidenceIndex}): one document per
 * ingest segment, longer window documents for coarse-to-fine search, and one marker document per video that
 * records its settings fingerprint. A video's documents are replaced in one commit, so readers (in this or
 * another process) only ever see whole videos. The document layout is versioned in {@link
 * dev.longshot.retrieval.index.IndexSchema}.
 */
package dev.longshot.retrieval.index;
