/**
 * Ingest jobs: a bounded executor with a queue limit runs them, and each job's state is a small JSON file in the
 * data directory's {@code jobs/} folder, so a restart resumes interrupted jobs (ingest is idempotent) or marks
 * them failed with the reason. Nothing is lost silently.
 */
package dev.longshot.web.jobs;
