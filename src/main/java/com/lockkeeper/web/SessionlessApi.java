package com.lockkeeper.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The staff and device APIs have no web session: to everything after this filter (Spring
 * Security's authentication details, Spring MVC's flash attributes and request events) an API
 * call carries none, even when the browser sent its session cookie along. So the session store
 * (a table, with Spring Session JDBC) is neither read nor written for an API call, and a
 * signed-in browser's session cannot stand in for a token. Runs right after Spring Session's
 * filter, before Spring Security's.
 */
final class SessionlessApi extends OncePerRequestFilter {

    static final String API = "/api/v1/";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(API, request.getContextPath().length());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new NoSession(request), response);
    }

    /** A request that has no session and makes none. */
    private static final class NoSession extends HttpServletRequestWrapper {

        NoSession(HttpServletRequest request) {
            super(request);
        }

        @Override
        public HttpSession getSession(boolean create) {
            if (create) {
                throw new IllegalStateException("the API keeps no web session");
            }
            return null;
        }

        @Override
        public HttpSession getSession() {
            return getSession(true);
        }

        @Override
        public String getRequestedSessionId() {
            return null;
        }

        @Override
        public boolean isRequestedSessionIdValid() {
            return false;
        }

        @Override
        public boolean isRequestedSessionIdFromCookie() {
            return false;
        }

        @Override
        public String changeSessionId() {
            throw new IllegalStateException("the API keeps no web session");
        }
    }
}
