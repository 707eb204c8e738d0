/**
 * Subtitles: a transcript that beats ASR when a video has one. {@link dev.longshot.ingest.subtitle.Subtitles#find}
 * looks for an embedded subtitle stream (read through JavaCV/FFmpeg) and then for a sidecar {@code .srt} or
 * {@code .vtt} file with the video's base name, and returns {@code SUBTITLE} segments in video time. The parsers
 * here are plain Java and tolerate the usual mess (BOM, CRLF, missing blank lines, HTML-ish tags).
 */
package dev.longshot.ingest.subtitle;
