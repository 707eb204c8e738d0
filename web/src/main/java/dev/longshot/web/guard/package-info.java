/**
 * The server's front door: {@link dev.longshot.web.guard.RequestGuard} refuses foreign {@code Host} names (DNS
 * rebinding), cross-site writes (CSRF) and, when {@code server.api-key} is set, any {@code /api} request without
 * the key, judging paths on their {@link dev.longshot.web.guard.CanonicalPath} so other spellings cannot get
 * past, and bounds every non-upload request body ({@link dev.longshot.web.guard.BoundedBody}).
 * {@link dev.longshot.web.guard.ListenAddress} refuses to start on a non-loopback address without a key.
 */
package dev.longshot.web.guard;
