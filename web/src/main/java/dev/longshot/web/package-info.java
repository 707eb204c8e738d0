/**
 * The Spring Boot web application, the only module that knows Spring. {@link
 * dev.longshot.web.LongshotWebApplication} parses {@code --port}/{@code --config}, loads the one {@code
 * LongshotConfig}, and starts Spring; {@link dev.longshot.web.LongshotBeans} wires {@link dev.longshot.app.Longshot}, the
 * ingest job runner and the multipart limits.
 */
package dev.longshot.web;
