package com.lockkeeper.admin;

import com.lockkeeper.retention.ComputerRetention;
import com.lockkeeper.retention.Retention;
import com.lockkeeper.retention.RetentionException;
import com.lockkeeper.retention.RetentionSettings;
import com.lockkeeper.users.SignedInUser;
import java.util.function.Supplier;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Retention for administrators: retire a computer or undo it, put one on legal hold or release it. All audited. */
@Controller
@RequestMapping("/admin/retention")
class AdminRetentionController {

    private final Retention retention;

    AdminRetentionController(Retention retention) {
        this.retention = retention;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("computers", retention.tracked());
        model.addAttribute("staleAfter", RetentionSettings.shown(retention.settings().staleAfter()));
        model.addAttribute("purgeAfter", retention.settings().purge().map(RetentionSettings::shown).orElse(null));
        model.addAttribute("autoRetire", retention.settings().autoRetire());
        return "admin/retention";
    }

    @PostMapping("/retire")
    String retire(@AuthenticationPrincipal SignedInUser me, @RequestParam String computer, @RequestParam(required = false) String reason,
            RedirectAttributes redirect) {
        return act(redirect, () -> {
            ComputerRetention c = retention.retire(computer, reason, me.actor());
            return c.name() + " is retired: " + retention.settings().purge()
                    .map(p -> "its keys are purged on " + c.retiredAt().plus(p).toString().substring(0, 10)
                            + " unless it is on legal hold or checks in.")
                    .orElse("its keys are kept (no purge period is set).");
        });
    }

    @PostMapping("/unretire")
    String unretire(@AuthenticationPrincipal SignedInUser me, @RequestParam String computer, RedirectAttributes redirect) {
        return act(redirect, () -> retention.unretire(computer, me.actor()).name() + " is no longer retired: its keys are kept.");
    }

    @PostMapping("/hold")
    String hold(@AuthenticationPrincipal SignedInUser me, @RequestParam String computer, @RequestParam(required = false) String reason,
            RedirectAttributes redirect) {
        return act(redirect, () -> retention.hold(computer, reason, me.actor()).name()
                + " is on legal hold: none of its keys is purged until it is released.");
    }

    @PostMapping("/release")
    String release(@AuthenticationPrincipal SignedInUser me, @RequestParam String computer, RedirectAttributes redirect) {
        return act(redirect, () -> retention.release(computer, me.actor()).name() + " is no longer on legal hold.");
    }

    private static String act(RedirectAttributes redirect, Supplier<String> action) {
        try {
            redirect.addFlashAttribute("notice", action.get());
        } catch (RetentionException e) {
            String message = e.getMessage();
            redirect.addFlashAttribute("error", Character.toUpperCase(message.charAt(0)) + message.substring(1) + ".");
        }
        return "redirect:/admin/retention";
    }
}
