/**
 * Command-line entry points of the runtime; {@link dev.longshot.vlm.cli.GenerateCommand} is what
 * {@code bin/longshot generate} delegates to.
 */
package dev.longshot.vlm.cli;
