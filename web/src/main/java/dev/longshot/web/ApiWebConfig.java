package dev.longshot.web;

import dev.longshot.config.LongshotConfig;
import dev.longshot.web.guard.HostNames;
import dev.longshot.web.guard.RequestGuard;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Web settings shared by the app and the tests that start the web stack: the {@link RequestGuard} in front of
 * every request (Host, cross-site writes, API key), before Spring routes anything.
 */
@Configuration(proxyBeanMethods = false)
public class ApiWebConfig {
  @Bean
  FilterRegistrationBean<RequestGuard> requestGuard(LongshotConfig config) {
    RequestGuard guard = new RequestGuard(config.server().apiKey(),
        new HostNames(config.server().address(), config.server().allowedHosts()));
    FilterRegistrationBean<RequestGuard> bean = new FilterRegistrationBean<>(guard);
    bean.addUrlPatterns("/*");
    bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
    bean.setName("longshotRequestGuard");
    return bean;
  }
}
