package com.lockkeeper.signin;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.users.SignedInUser;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2LoginAuthenticationFilter;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * OpenID Connect sign-in on the web pages, beside the form: {@code /oauth2/authorization/<id>}
 * sends the browser to the provider (authorization code with PKCE, state and nonce), and
 * {@code /login/oauth2/code/<id>} takes it back. A successful sign-in becomes a session like any
 * other (a {@link SignedInUser}, audited); a failed one is audited and sent back to the sign-in
 * page with what to do. Signing out also ends the session at the provider when its metadata has an
 * {@code end_session_endpoint} (RP-initiated logout).
 */
public final class OidcLogin {

    private static final int MAX_AUDITED_REASON = 500;

    private final OidcProviders providers;
    private final OidcUsers users;
    private final AuditLog audit;
    private final SignInSuccessHandler next;

    OidcLogin(OidcProviders providers, OidcUsers users, AuditLog audit, SignInSuccessHandler next) {
        this.providers = providers;
        this.users = users;
        this.audit = audit;
        this.next = next;
    }

    /** Adds OpenID Connect sign-in and RP-initiated sign-out to the web pages' security. */
    public void configure(HttpSecurity http) {
        AuthenticationFailureHandler failures = this::failed;
        http.oauth2Login(login -> login.loginPage("/login")
                        .clientRegistrationRepository(providers)
                        .authorizedClientRepository(new NoAuthorizedClients())
                        .userInfoEndpoint(userInfo -> userInfo.oidcUserService(users))
                        .successHandler(new Succeeded())
                        .failureHandler(failures)
                        .withObjectPostProcessor(new ObjectPostProcessor<OAuth2LoginAuthenticationFilter>() {
                            @Override
                            public <O extends OAuth2LoginAuthenticationFilter> O postProcess(O filter) {
                                // The page's authentication manager checks passwords only; this one checks the code.
                                filter.setAuthenticationManager(new ProviderManager(new OidcAuthorizationCodeAuthenticationProvider(
                                        new RestClientAuthorizationCodeTokenResponseClient(), users)));
                                return filter;
                            }
                        })
                        .withObjectPostProcessor(new ObjectPostProcessor<OAuth2AuthorizationRequestRedirectFilter>() {
                            @Override
                            public <O extends OAuth2AuthorizationRequestRedirectFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(failures); // a provider that cannot be reached
                                return filter;
                            }
                        }))
                .logout(logout -> logout.logoutSuccessHandler(new SignOut()));
    }

    /** Makes the session's authentication a {@link SignedInUser}, audits the sign-in, then goes where the form's would. */
    private final class Succeeded implements AuthenticationSuccessHandler {

        private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

        @Override
        public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
                throws IOException, ServletException {
            OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
            OidcUsers.MappedUser mapped = (OidcUsers.MappedUser) token.getPrincipal();
            SignedInUser user = mapped.signedIn();
            OidcSignedIn signedIn = new OidcSignedIn(user, token.getAuthorizedClientRegistrationId(),
                    mapped.getIdToken().getTokenValue());
            signedIn.setDetails(authentication.getDetails());
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(signedIn);
            SecurityContextHolder.setContext(context);
            contexts.saveContext(context, request, response);
            audit.record(AuditEntry.success(user.actor(), AuditAction.SIGN_IN, "user " + user.username(),
                    "signed in via " + user.via() + " from " + request.getRemoteAddr() + "; roles: " + user.roleNames()));
            next.onAuthenticationSuccess(request, response, signedIn);
        }
    }

    private void failed(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        String id = providerOf(request);
        String label = providers.provider(id).map(OidcSettings.Provider::label).orElse("the provider");
        String message = "Sign-in through " + label + " did not succeed. Try again; if it keeps failing, tell an administrator.";
        String why = e.getMessage();
        if (e instanceof OAuth2AuthenticationException oauth) {
            why = oauth.getError().getErrorCode() + ": " + (oauth.getMessage() != null ? oauth.getMessage()
                    : oauth.getError().getDescription());
            if (OidcUsers.REFUSED.equals(oauth.getError().getErrorCode())) {
                message = oauth.getError().getDescription();
            }
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OidcProviders.ProviderUnavailableException unavailable) {
                why = unavailable.getMessage();
                message = "Sign-in through " + label + " is not available right now. Try again in a minute, or sign in with"
                        + " your user name and password; if it keeps failing, tell an administrator.";
            }
        }
        why = why == null ? e.getClass().getSimpleName() : why;
        if (why.length() > MAX_AUDITED_REASON) {
            why = why.substring(0, MAX_AUDITED_REASON);
        }
        audit.record(AuditEntry.refused(Actor.user("unknown via " + OidcSignedIn.VIA_PREFIX + id), AuditAction.SIGN_IN,
                "OpenID provider " + id, why + " (from " + request.getRemoteAddr() + ")"));
        request.getSession().setAttribute(SignInFailureHandler.MESSAGE, message);
        response.sendRedirect(request.getContextPath() + "/login?error");
    }

    /** The provider's id: the last part of {@code /oauth2/authorization/<id>} or {@code /login/oauth2/code/<id>}. */
    private static String providerOf(HttpServletRequest request) {
        String path = request.getRequestURI();
        String id = path.substring(path.lastIndexOf('/') + 1);
        return id.matches("[a-z0-9-]{1,40}") ? id : "unknown";
    }

    /**
     * To the sign-in page, by way of the provider's end-session endpoint for a session that began
     * there, with the ID token as {@code id_token_hint} so the provider knows whose session to end.
     * That way leads off Lockkeeper's origin, which the pages' {@code form-action 'self'} forbids as
     * the redirect after the sign-out form; so the answer is a page that goes on by itself (and has a
     * link for a browser that does not).
     */
    private final class SignOut implements LogoutSuccessHandler {

        @Override
        public void onLogoutSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
                throws IOException {
            String signedOut = ServletUriComponentsBuilder.fromContextPath(request).path("/login").query("signedOut")
                    .build().toUriString();
            if (authentication instanceof OidcSignedIn oidc) {
                Object endSession = endSessionEndpoint(oidc.provider());
                if (endSession != null) {
                    ClientRegistration registration = providers.findByRegistrationId(oidc.provider());
                    String target = UriComponentsBuilder.fromUriString(endSession.toString())
                            .queryParam("id_token_hint", oidc.idToken())
                            .queryParam("client_id", registration.getClientId())
                            .queryParam("post_logout_redirect_uri", signedOut)
                            .encode().build().toUriString();
                    onward(request, response, target, registration.getClientName());
                    return;
                }
            }
            response.sendRedirect(request.getContextPath() + "/login?signedOut");
        }

        private void onward(HttpServletRequest request, HttpServletResponse response, String target, String provider)
                throws IOException {
            String url = HtmlUtils.htmlEscape(target);
            String name = HtmlUtils.htmlEscape(provider);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter().write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<meta http-equiv=\"refresh\" content=\"0;url=" + url + "\">"
                    + "<title>Signing out \u2013 Lockkeeper</title>"
                    + "<link rel=\"stylesheet\" href=\"" + request.getContextPath() + "/css/lockkeeper.css\"></head>"
                    + "<body><main class=\"narrow\"><h1>Signed out of Lockkeeper</h1><p id=\"signing-out\">Now signing you"
                    + " out of " + name + " too. If nothing happens, <a id=\"end-session\" href=\"" + url + "\">continue to "
                    + name + "</a>.</p></main></body></html>\n");
        }

        private Object endSessionEndpoint(String provider) {
            try {
                ClientRegistration registration = providers.findByRegistrationId(provider);
                Map<String, Object> metadata = registration == null ? Map.of()
                        : registration.getProviderDetails().getConfigurationMetadata();
                return metadata.get("end_session_endpoint");
            } catch (OidcProviders.ProviderUnavailableException e) {
                return null; // the local session has ended all the same
            }
        }
    }

    /** The provider's access and refresh tokens are not needed after sign-in, so they are not kept anywhere. */
    private static final class NoAuthorizedClients implements OAuth2AuthorizedClientRepository {

        @Override
        public <T extends OAuth2AuthorizedClient> T loadAuthorizedClient(String clientRegistrationId, Authentication principal,
                HttpServletRequest request) {
            return null;
        }

        @Override
        public void saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal,
                HttpServletRequest request, HttpServletResponse response) {
        }

        @Override
        public void removeAuthorizedClient(String clientRegistrationId, Authentication principal, HttpServletRequest request,
                HttpServletResponse response) {
        }
    }
}
