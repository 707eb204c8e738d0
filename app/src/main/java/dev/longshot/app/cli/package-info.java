/**
 * The command line behind {@code bin/longshot}: one class per verb ({@code ingest}, {@code ask}, {@code index},
 * {@code generate}), a dispatcher ({@link dev.longshot.app.cli.Main}) and a terminal progress bar.
 */
package dev.longshot.app.cli;
