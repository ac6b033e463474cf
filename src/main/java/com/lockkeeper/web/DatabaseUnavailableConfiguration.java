package com.lockkeeper.web;

import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class DatabaseUnavailableConfiguration {

    /** Ahead of Spring Session and Spring Security, on the API only (the web UI keeps its own error pages). */
    @Bean
    FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter(DataSource dataSource) {
        FilterRegistrationBean<DatabaseUnavailableFilter> registration = new FilterRegistrationBean<>(
                new DatabaseUnavailableFilter(dataSource));
        registration.addUrlPatterns("/api/*", "/healthz");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setName("databaseUnavailableFilter");
        return registration;
    }

    /** Right after Spring Session's filter (which wraps the request lazily), on the API only: API calls see no session. */
    @Bean
    FilterRegistrationBean<SessionlessApi> sessionlessApiFilter() {
        FilterRegistrationBean<SessionlessApi> registration = new FilterRegistrationBean<>(new SessionlessApi());
        registration.addUrlPatterns("/api/*");
        registration.setOrder(org.springframework.session.web.http.SessionRepositoryFilter.DEFAULT_ORDER + 1);
        registration.setName("sessionlessApiFilter");
        return registration;
    }
}
