package com.lockkeeper.signin;

import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.users.UserAccounts;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a local account's web session in step with the account: a disabled (or removed)
 * account is signed out at its next request, and changed roles apply at once, as they do for
 * personal access tokens.
 */
public final class CurrentAccount extends OncePerRequestFilter {

    private final UserAccounts users;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    public CurrentAccount(UserAccounts users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user && SignIn.LOCAL.equals(user.via())) {
            Optional<LocalAccount> account = users.find(user.username()).filter(a -> !a.disabled());
            if (account.isEmpty()) {
                SecurityContextHolder.clearContext();
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                response.sendRedirect(request.getContextPath() + "/login?ended");
                return;
            }
            if (!account.get().roles().equals(user.roles())) {
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(SignIn.authenticated(new SignedInUser(user.username(), account.get().roles(), user.via())));
                SecurityContextHolder.setContext(context);
                contexts.saveContext(context, request, response);
            }
        }
        chain.doFilter(request, response);
    }
}
