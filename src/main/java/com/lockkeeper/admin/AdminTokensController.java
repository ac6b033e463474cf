package com.lockkeeper.admin;

import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.IssuedToken;
import com.lockkeeper.tokens.TokenSummary;
import com.lockkeeper.users.SignedInUser;
import java.util.Comparator;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Every API token for administrators: create device enrollment tokens (shown once), revoke any token. All audited. */
@Controller
@RequestMapping("/admin/tokens")
class AdminTokensController {

    private final ApiTokens tokens;

    AdminTokensController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("tokens", tokens.list().stream()
                .sorted(Comparator.comparing(TokenSummary::active).reversed().thenComparing(TokenSummary::id, Comparator.reverseOrder()))
                .toList());
        return "admin/tokens";
    }

    @PostMapping
    String createEnrollmentToken(@AuthenticationPrincipal SignedInUser me, @RequestParam(defaultValue = "") String name,
            Model model) {
        String label = name.strip();
        if (label.isEmpty()) {
            model.addAttribute("nameError", "Name the token after where devices use it, such as a site or a GPO.");
        } else {
            try {
                IssuedToken token = tokens.createEnrollmentToken(label, me.actor());
                model.addAttribute("created", token);
            } catch (IllegalArgumentException e) {
                model.addAttribute("nameError", sentence(e.getMessage()));
            }
        }
        model.addAttribute("name", model.containsAttribute("created") ? "" : label);
        return list(model);
    }

    @PostMapping("/{id}/revoke")
    String revoke(@AuthenticationPrincipal SignedInUser me, @PathVariable long id, RedirectAttributes redirect) {
        try {
            TokenSummary revoked = tokens.revoke(Long.toString(id), me.actor());
            redirect.addFlashAttribute("notice", "Token " + revoked.id() + " (\"" + revoked.name() + "\") is revoked: it no"
                    + " longer works.");
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", "There is no active token " + id + ": reload the page to see the tokens.");
        }
        return "redirect:/admin/tokens";
    }

    private static String sentence(String message) {
        String text = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }
}
