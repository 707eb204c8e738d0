/** Longshot embeddings (see the module README). */
package dev.longshot.embeddings;
