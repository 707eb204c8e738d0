/** Longshot ingest (see the module README). */
package dev.longshot.ingest;
