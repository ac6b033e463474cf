package com.lockkeeper.signin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A person whose password must be changed (the first admin's one-time password, a reset by an
 * administrator) reaches only the password page until they have changed it.
 */
public final class PasswordChange extends OncePerRequestFilter {

    public static final String PAGE = "/account/password";
    private static final String REQUIRED = PasswordChange.class.getName() + ".required";

    static void require(HttpSession session) {
        session.setAttribute(REQUIRED, Boolean.TRUE);
    }

    /** Called once the password was changed. */
    public static void done(HttpSession session) {
        session.removeAttribute(REQUIRED);
    }

    public static boolean required(HttpSession session) {
        return session != null && Boolean.TRUE.equals(session.getAttribute(REQUIRED));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (required(request.getSession(false)) && !allowed(request.getRequestURI().substring(request.getContextPath().length()))) {
            response.sendRedirect(request.getContextPath() + PAGE);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean allowed(String path) {
        return path.equals(PAGE) || path.equals("/logout") || path.equals("/login") || path.equals("/error")
                || path.startsWith("/css/") || path.startsWith("/js/") || path.startsWith("/images/");
    }
}
