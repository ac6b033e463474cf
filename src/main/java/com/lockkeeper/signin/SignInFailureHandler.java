package com.lockkeeper.signin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * After a failed sign-in: back to the sign-in page with a message that says what to do next,
 * and the user name kept in the form (never the password, and neither in the URL).
 */
public final class SignInFailureHandler implements AuthenticationFailureHandler {

    static final String MESSAGE = SignInFailureHandler.class.getName() + ".message";
    static final String USERNAME = SignInFailureHandler.class.getName() + ".username";

    static final String BAD_CREDENTIALS = "The user name or password is not right. Check the user name and Caps Lock, then"
            + " try again. Forgotten your password? Ask an administrator to reset it.";
    static final String UNAVAILABLE = "Sign-in is not available right now. Try again in a minute; if it keeps failing,"
            + " tell an administrator.";

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        HttpSession session = request.getSession();
        session.setAttribute(MESSAGE, message(e));
        String username = request.getParameter("username");
        if (username != null && username.length() <= 256) {
            session.setAttribute(USERNAME, username.strip());
        }
        response.sendRedirect(request.getContextPath() + "/login?error");
    }

    private static String message(AuthenticationException e) {
        if (e instanceof LockedException) {
            return e.getMessage(); // written by us for the person signing in: how long to wait
        }
        if (e instanceof BadCredentialsException) {
            return BAD_CREDENTIALS;
        }
        return UNAVAILABLE;
    }
}
