/**
 * Typed settings for every Longshot module. {@link dev.longshot.config.LongshotConfig} is the root record;
 * each module reads only its own section record ({@code IngestSettings}, {@code RetrievalSettings}, ...).
 * {@link dev.longshot.config.ConfigLoader} binds the YAML file (documented defaults in
 * {@code longshot-defaults.yaml}) plus {@code LONGSHOT_*} environment variables onto the records, and every
 * record validates itself at construction: a bad value fails start-up with a {@link
 * dev.longshot.config.ConfigException} naming the key, the value and what is allowed. No Spring here: the web
 * module binds these same records.
 */
package dev.longshot.config;
