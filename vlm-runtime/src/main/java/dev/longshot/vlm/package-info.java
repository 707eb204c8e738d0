/** Longshot's embedded transformer runtime (see the module README). */
package dev.longshot.vlm;
