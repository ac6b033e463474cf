package com.lockkeeper.signin;

import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.users.UserAccounts;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/** After sign-in: to the page asked for, or the start page; first to the password page if the password must change. */
public final class SignInSuccessHandler extends SavedRequestAwareAuthenticationSuccessHandler {

    private final UserAccounts users;

    SignInSuccessHandler(UserAccounts users) {
        this.users = users;
        setDefaultTargetUrl("/");
        setRequestCache(new PathOnlyRequestCache());
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws ServletException, IOException {
        if (authentication.getPrincipal() instanceof SignedInUser user && SignIn.LOCAL.equals(user.via())
                && users.find(user.username()).map(LocalAccount::mustChangePassword).orElse(false)) {
            PasswordChange.require(request.getSession());
            clearAuthenticationAttributes(request);
            getRedirectStrategy().sendRedirect(request, response, PasswordChange.PAGE);
            return;
        }
        super.onAuthenticationSuccess(request, response, authentication);
    }
}
