/** The Spring Boot web application: REST API, job runner and the page. The only module that knows Spring. */
package dev.longshot.web;
