package dev.longshot.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts the Longshot web app: REST API and page. */
@SpringBootApplication
public class LongshotWebApplication {
  public static void main(String[] args) {
    SpringApplication.run(LongshotWebApplication.class, args);
  }
}
