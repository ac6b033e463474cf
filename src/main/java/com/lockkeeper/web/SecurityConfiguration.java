package com.lockkeeper.web;

import com.lockkeeper.device.DevicePaths;
import com.lockkeeper.devices.Devices;
import com.lockkeeper.http.ProblemResponses;
import com.lockkeeper.signin.CurrentAccount;
import com.lockkeeper.signin.OidcLogin;
import com.lockkeeper.signin.PasswordChange;
import com.lockkeeper.signin.PathOnlyRequestCache;
import com.lockkeeper.signin.SignIn;
import com.lockkeeper.signin.SignInFailureHandler;
import com.lockkeeper.signin.SignInSuccessHandler;
import com.lockkeeper.signin.SignOutAudit;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.BearerTokenFilter;
import com.lockkeeper.tokens.MachineCertificateFilter;
import com.lockkeeper.tokens.TokenCache;
import com.lockkeeper.users.DirectoryAccounts;
import com.lockkeeper.users.UserAccounts;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what, in one place. Three surfaces with separate security (as hawkBit's DDI and
 * management APIs): the device API (device credentials; enrollment tokens to enroll), the staff API (personal
 * access tokens, stateless) and the web pages (form sign-in, sessions, CSRF). Data-dependent
 * rules (associated user, self-service limits) live in the services, not here.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

    private static final String[] HELPDESK = {"HELPDESK", "ADVANCED_HELPDESK"};

    /** Pages load scripts, styles and images from Lockkeeper only, post forms only to it, and are never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    /** `/helpdesk/**&#47;key-package`: a path pattern cannot have `**` in the middle. */
    private static final RequestMatcher HELPDESK_KEY_PACKAGE = request -> {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/helpdesk/") && path.endsWith("/key-package");
    };

    /**
     * The management port (health, info, Prometheus metrics): open to whoever reaches it, which is
     * loopback unless management.server.address says otherwise; it shows no secrets. Matches only
     * requests to the management server, so the application port serves no /actuator path.
     */
    @Bean
    @Order(0)
    SecurityFilterChain management(HttpSecurity http) throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll());
        return stateless(http, "the management port answers health, info and metrics only").build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain deviceApi(HttpSecurity http, ApiTokens tokens, Devices devices, UserAccounts users,
            ObjectProvider<DirectoryAccounts> directory, TokenCache cache) throws Exception {
        http.securityMatcher(DevicePaths.all())
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(DevicePaths.ENROLL).hasRole("ENROLLMENT")
                        .anyRequest().hasRole("DEVICE"))
                .addFilterBefore(bearer(tokens, devices, users, directory, cache, "this endpoint needs `Authorization: Bearer <device"
                        + " credential>` (or, to enroll, `Bearer <enrollment token>`; an administrator creates one with"
                        + " `lockkeeper token create --name NAME`)"),
                        AuthorizationFilter.class)
                .addFilterBefore(new MachineCertificateFilter(devices), AuthorizationFilter.class);
        return stateless(http, "the device API takes device credentials, and enrollment tokens to enroll (a device credential"
                + " cannot enroll); personal access tokens are for the staff API").build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain staffApi(HttpSecurity http, ApiTokens tokens, Devices devices, UserAccounts users,
            ObjectProvider<DirectoryAccounts> directory, TokenCache cache) throws Exception {
        http.securityMatcher("/api/v1/**")
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/api/v1/recovery-keys/*/key-package").hasRole("ADVANCED_HELPDESK")
                        .requestMatchers("/api/v1/computers/**", "/api/v1/recovery-keys/**").hasAnyRole(HELPDESK)
                        .requestMatchers("/api/v1/audit/**").hasRole("AUDITOR")
                        // Approvals: who may request or decide is the approval policy's, checked in the service.
                        .requestMatchers("/api/v1/approvals", "/api/v1/approvals/**").hasRole("USER")
                        // Key lifecycle: admin rotation requests and their progress.
                        .requestMatchers("/api/v1/rotations/**").hasRole("ADMIN")
                        .anyRequest().denyAll())
                .addFilterBefore(bearer(tokens, devices, users, directory, cache, "this endpoint needs `Authorization: Bearer <personal"
                        + " access token>`; create one on the Account page (/account/tokens) or with `lockkeeper token create"
                        + " --user NAME`"), AuthorizationFilter.class);
        return stateless(http, "your roles do not allow this endpoint").build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain webPages(HttpSecurity http, SignIn signIn, SignInSuccessHandler successes,
            SignInFailureHandler failures, SignOutAudit signOuts, UserAccounts users, ObjectProvider<OidcLogin> oidc)
            throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/login", "/css/**", "/js/**", "/webjars/**", "/images/**", "/favicon.ico", "/healthz",
                                "/healthz/**", "/error", "/api/openapi.json")
                        .permitAll()
                        .requestMatchers(HELPDESK_KEY_PACKAGE).hasRole("ADVANCED_HELPDESK")
                        .requestMatchers("/helpdesk/**").hasAnyRole(HELPDESK)
                        .requestMatchers("/", "/self-service/**", "/account/**").hasRole("USER")
                        .requestMatchers("/approvals", "/approvals/**").hasRole("USER")
                        .requestMatchers(HttpMethod.GET, "/admin/status").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers("/admin/**").hasRole("ADMIN")
                        .requestMatchers("/audit/**").hasRole("AUDITOR")
                        // Post-recovery analysis and reports: auditors and admins read, analysts close.
                        .requestMatchers(HttpMethod.POST, "/analysis/**").hasAnyRole("ADVANCED_HELPDESK", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/analysis", "/analysis/**").hasAnyRole("ADVANCED_HELPDESK", "AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/reports", "/reports/**").hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/dashboard", "/dashboard.json").hasAnyRole("AUDITOR", "ADMIN")
                        .anyRequest().denyAll())
                .authenticationManager(signIn)
                .requestCache(cache -> cache.requestCache(new PathOnlyRequestCache()))
                .formLogin(form -> form.loginPage("/login")
                        .usernameParameter("username").passwordParameter("password")
                        .successHandler(successes)
                        .failureHandler(failures))
                .addFilterBefore(new CurrentAccount(users), AuthorizationFilter.class)
                .addFilterAfter(new PasswordChange(), AuthorizationFilter.class)
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?signedOut")
                        .addLogoutHandler(signOuts)
                        .deleteCookies("JSESSIONID", "SESSION"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                .sessionManagement(session -> session.invalidSessionUrl("/login?expired")
                        .sessionFixation(fixation -> fixation.changeSessionId()))
                .httpBasic(basic -> basic.disable());
        oidc.ifAvailable(login -> login.configure(http)); // OpenID Connect sign-in, when a provider is configured
        return http.build();
    }

    private static BearerTokenFilter bearer(ApiTokens tokens, Devices devices, UserAccounts users,
            ObjectProvider<DirectoryAccounts> directory, TokenCache cache, String missingTokenHint) {
        return new BearerTokenFilter(tokens, devices, users, Optional.ofNullable(directory.getIfAvailable()), cache, missingTokenHint);
    }

    /**
     * No web session on these chains: the security context lives in the request only, no request
     * is remembered for after a sign-in, no CSRF token (no cookie authenticates here). Session
     * management is off rather than STATELESS, which would add a filter that asks the session store
     * whether a sent session cookie is still valid (a database read per call with Spring Session JDBC).
     */
    private static HttpSecurity stateless(HttpSecurity http, String forbidden) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.disable())
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, e) -> {
                            Object why = request.getAttribute(BearerTokenFilter.FAILURE_ATTRIBUTE);
                            ProblemResponses.unauthorized(response, why != null ? why.toString() : "present a valid token");
                        })
                        .accessDeniedHandler((request, response, e) -> ProblemResponses.forbidden(response, forbidden)));
    }
}
