/**
 * Longshot's use cases, composed from the core modules without Spring: ingest a file and index it, ask a
 * question, index a folder in batch. The command line ({@code dev.longshot.app.cli}) and the web module both
 * call these, so a question asked in the shell and in the browser goes through the same code.
 */
package dev.longshot.app;
