package com.lockkeeper.signin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;

/**
 * Remembers where a signed-out user was going, so sign-in can take them there: the path and
 * query of a page they asked for with GET, and nothing else. Spring Security's default saves the
 * whole request, headers included, into the session, and sessions are rows in the database:
 * an {@code Authorization} header sent to a page would be stored there in clear.
 */
public final class PathOnlyRequestCache implements RequestCache {

    static final String ATTRIBUTE = PathOnlyRequestCache.class.getName() + ".path";

    @Override
    public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
        if (!"GET".equals(request.getMethod())) {
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String query = request.getQueryString();
        request.getSession().setAttribute(ATTRIBUTE, query == null ? path : path + "?" + query);
    }

    @Override
    public SavedRequest getRequest(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        Object path = session == null ? null : session.getAttribute(ATTRIBUTE);
        return path instanceof String saved ? new SimpleSavedRequest(request.getContextPath() + saved) : null;
    }

    /** Nothing is replayed: after sign-in the browser asks for the page again. */
    @Override
    public HttpServletRequest getMatchingRequest(HttpServletRequest request, HttpServletResponse response) {
        return null;
    }

    @Override
    public void removeRequest(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(ATTRIBUTE);
        }
    }
}
