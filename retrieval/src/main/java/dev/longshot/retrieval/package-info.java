/** Longshot retrieval (see the module README). */
package dev.longshot.retrieval;
