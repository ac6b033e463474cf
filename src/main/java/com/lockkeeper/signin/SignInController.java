package com.lockkeeper.signin;

import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page. The form posts to /login, which Spring Security handles. */
@Controller
class SignInController {

    private final ObjectProvider<OidcProviders> oidc;

    SignInController(ObjectProvider<OidcProviders> oidc) {
        this.oidc = oidc;
    }

    @GetMapping("/login")
    String login(@RequestParam(required = false) String error, @RequestParam(required = false) String signedOut,
            @RequestParam(required = false) String expired, @RequestParam(required = false) String ended, HttpSession session,
            Model model) {
        if (error != null) {
            model.addAttribute("error", take(session, SignInFailureHandler.MESSAGE, SignInFailureHandler.BAD_CREDENTIALS));
            model.addAttribute("username", take(session, SignInFailureHandler.USERNAME, ""));
        } else if (signedOut != null) {
            model.addAttribute("notice", "You have signed out.");
        } else if (ended != null) {
            model.addAttribute("notice", "Your session has ended because your account was disabled. If you need access,"
                    + " ask an administrator.");
        } else if (expired != null) {
            model.addAttribute("notice", "Your session ended after a time without activity. Sign in again to continue.");
        }
        OidcProviders providers = oidc.getIfAvailable();
        model.addAttribute("providers", providers == null ? java.util.List.of() : providers.buttons());
        return "signin/login";
    }

    private static String take(HttpSession session, String attribute, String otherwise) {
        Object value = session.getAttribute(attribute);
        session.removeAttribute(attribute);
        return value == null ? otherwise : value.toString();
    }
}
