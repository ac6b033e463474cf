package com.lockkeeper.web;

import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.BearerTokenFilter;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The device API and the rest are separate surfaces with separate security (as hawkBit's DDI
 * and management APIs): devices present enrollment tokens and may only escrow.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ApiSecurityConfiguration {

    static final String[] DEVICE_ENDPOINTS = {"/api/v1/escrow"};

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    @Order(1)
    SecurityFilterChain deviceApi(HttpSecurity http, ApiTokens tokens) throws Exception {
        http.securityMatcher(DEVICE_ENDPOINTS)
                .authorizeHttpRequests(authorize -> authorize.anyRequest().hasRole("DEVICE"))
                .addFilterBefore(new BearerTokenFilter(tokens), AuthorizationFilter.class);
        return stateless(http).build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                .requestMatchers("/healthz", "/error").permitAll()
                .anyRequest().denyAll());
        return stateless(http).build();
    }

    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, e) -> {
                            Object why = request.getAttribute(BearerTokenFilter.FAILURE_ATTRIBUTE);
                            response.setHeader("WWW-Authenticate", "Bearer");
                            write(response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication required",
                                    why != null ? why.toString() : "sign in or present a valid token"));
                        })
                        .accessDeniedHandler((request, response, e) -> write(response, Problems.problem(HttpStatus.FORBIDDEN,
                                "forbidden", "Not allowed", "this credential may not call this endpoint"))));
    }

    private static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), body);
    }
}
