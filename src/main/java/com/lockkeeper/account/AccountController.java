package com.lockkeeper.account;

import com.lockkeeper.support.Password;
import com.lockkeeper.signin.OidcSignedIn;
import com.lockkeeper.signin.PasswordChange;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.IssuedToken;
import com.lockkeeper.tokens.TokenSummary;
import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.users.UserAccounts;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** One's own account: change the password, and create and revoke personal access tokens. */
@Controller
@RequestMapping("/account")
class AccountController {

    private final UserAccounts users;
    private final ApiTokens tokens;

    AccountController(UserAccounts users, ApiTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @GetMapping("/tokens")
    String tokens(@AuthenticationPrincipal SignedInUser me, Model model) {
        return tokensPage(me, model);
    }

    @PostMapping("/tokens")
    String createToken(@AuthenticationPrincipal SignedInUser me, @RequestParam(defaultValue = "") String name, Model model) {
        String label = name.strip();
        if (OidcSignedIn.via(me)) {
            model.addAttribute("nameError", OIDC_NO_TOKENS);
        } else if (label.isEmpty()) {
            model.addAttribute("nameError", "Give the token a name that says what it is for, such as \"inventory script\".");
        } else {
            try {
                Optional<LocalAccount> account = localAccount(me);
                IssuedToken token = account.isPresent()
                        ? tokens.createPersonalToken(account.get().id(), account.get().username(), label, me.actor())
                        : tokens.createDirectoryToken(me.username(), label, me.actor());
                model.addAttribute("created", token);
            } catch (IllegalArgumentException e) {
                model.addAttribute("nameError", capitalised(e.getMessage()) + ".");
            }
        }
        model.addAttribute("name", model.containsAttribute("created") ? "" : label);
        return tokensPage(me, model);
    }

    @PostMapping("/tokens/{id}/revoke")
    String revokeToken(@AuthenticationPrincipal SignedInUser me, @PathVariable long id, RedirectAttributes redirect) {
        if (OidcSignedIn.via(me)) {
            redirect.addFlashAttribute("error", OIDC_NO_TOKENS);
            return "redirect:/account/tokens";
        }
        try {
            TokenSummary revoked = tokens.revokeOwn(me.username(), id, me.actor());
            redirect.addFlashAttribute("notice", "Token \"" + revoked.name() + "\" is revoked: it no longer works.");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", capitalised(e.getMessage()) + ".");
        }
        return "redirect:/account/tokens";
    }

    @GetMapping("/password")
    String password(@AuthenticationPrincipal SignedInUser me, HttpSession session, Model model) {
        model.addAttribute("required", PasswordChange.required(session));
        model.addAttribute("local", localAccount(me).isPresent());
        model.addAttribute("minLength", UserAccounts.MIN_PASSWORD_LENGTH);
        return "account/password";
    }

    @PostMapping("/password")
    String changePassword(@AuthenticationPrincipal SignedInUser me, @RequestParam(defaultValue = "") String current,
            @RequestParam(defaultValue = "") String replacement, @RequestParam(defaultValue = "") String confirmation,
            HttpSession session, Model model, RedirectAttributes redirect) {
        if (localAccount(me).isEmpty()) {
            return password(me, session, model);
        }
        if (current.isEmpty()) {
            model.addAttribute("currentError", "Type your current password.");
        } else if (replacement.length() < UserAccounts.MIN_PASSWORD_LENGTH) {
            model.addAttribute("replacementError", "Choose a new password of at least " + UserAccounts.MIN_PASSWORD_LENGTH
                    + " characters; a few unrelated words make a good one.");
        } else if (!replacement.equals(confirmation)) {
            model.addAttribute("confirmationError", "The two new passwords are not the same: type the new password again in"
                    + " both boxes.");
        } else if (replacement.equals(current)) {
            model.addAttribute("replacementError", "The new password must differ from the current one.");
        } else {
            try (Password old = Password.copyOf(current); Password chosen = Password.copyOf(replacement)) {
                users.changeOwnPassword(me.username(), old, chosen);
                PasswordChange.done(session);
                redirect.addFlashAttribute("notice", "Your password is changed. Use the new one from your next sign-in.");
                return "redirect:/account/password";
            } catch (IllegalArgumentException e) {
                model.addAttribute(e.getMessage().startsWith("the current") ? "currentError" : "replacementError",
                        capitalised(e.getMessage()) + ".");
            }
        }
        return password(me, session, model);
    }

    private String tokensPage(SignedInUser me, Model model) {
        Optional<LocalAccount> account = localAccount(me);
        model.addAttribute("directory", account.isEmpty());
        model.addAttribute("oidc", OidcSignedIn.via(me));
        model.addAttribute("tokens", OidcSignedIn.via(me) ? java.util.List.of()
                : account.isPresent() ? tokens.ofUser(account.get().id()) : tokens.ofDirectoryUser(me.username()));
        return "account/tokens";
    }

    /**
     * Directory accounts change their password in the directory, and their tokens are bound to their directory name;
     * people signed in through an OpenID provider have no local account, whatever their name.
     */
    private Optional<LocalAccount> localAccount(SignedInUser me) {
        return "ldap".equals(me.via()) || OidcSignedIn.via(me) ? Optional.empty() : users.find(me.username());
    }

    /** Their roles come from the provider at sign-in only, so a token could not follow a change of group. */
    static final String OIDC_NO_TOKENS = "Personal access tokens need a Lockkeeper or directory account: your roles come from"
            + " your organisation's sign-in page at each sign-in, and a token could not follow them. Ask an administrator"
            + " for an account if a script needs the API.";

    private static String capitalised(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}
