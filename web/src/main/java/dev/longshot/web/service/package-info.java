/**
 * The seam between the web layer and Longshot's use cases. Controllers and the job runner talk to {@link
 * dev.longshot.web.service.LongshotService}; {@link dev.longshot.web.service.LongshotFacadeService} implements
 * it over the app module's {@code Longshot} facade, and slice tests may put a small fake behind it.
 */
package dev.longshot.web.service;
