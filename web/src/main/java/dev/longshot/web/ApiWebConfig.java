package dev.longshot.web;

import dev.longshot.config.LongshotConfig;
import dev.longshot.web.api.ApiKeyInterceptor;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** MVC settings shared by the app and the controller slice tests: the API-key guard on write endpoints. */
@Configuration(proxyBeanMethods = false)
public class ApiWebConfig implements WebMvcConfigurer {
  private final LongshotConfig config;

  public ApiWebConfig(LongshotConfig config) {
    this.config = config;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new ApiKeyInterceptor(config.server().apiKey())).addPathPatterns("/api/**");
  }
}
