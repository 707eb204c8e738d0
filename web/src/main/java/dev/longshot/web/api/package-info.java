/**
 * The REST API and the page: thin controllers that translate HTTP to {@link dev.longshot.app.LongshotService} calls
 * and ingest jobs, DTO records, input checks (upload names and content, server paths, questions), the API-key
 * guard on write endpoints, and the one advice that turns every error into RFC 9457 problem details.
 */
package dev.longshot.web.api;
