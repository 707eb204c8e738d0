package dev.longshot.web.jobs;

/**
 * Why a job failed.
 *
 * @param kind the failure kind ({@code NOT_MEDIA}, {@code CORRUPT}, ..., {@code INTERRUPTED}, {@code FAILED})
 * @param status the HTTP status the same failure gets when it is reported synchronously
 * @param detail a sentence the user can act on, naming the file
 */
public record JobError(String kind, int status, String detail) {}
