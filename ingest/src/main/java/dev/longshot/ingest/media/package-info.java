/**
 * FFmpeg through JavaCV (linux-x86_64 natives only): {@link dev.longshot.ingest.media.MediaProbe} inspects a file
 * and rejects what cannot be ingested with a specific reason, {@link dev.longshot.ingest.media.MediaDecoder}
 * streams frames and 16 kHz mono audio in one pass, converting frames only when the sampler looks at them.
 * Nothing per frame is kept, so memory is flat for any length.
 */
package dev.longshot.ingest.media;
