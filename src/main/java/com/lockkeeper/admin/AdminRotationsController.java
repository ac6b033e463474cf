package com.lockkeeper.admin;

import com.lockkeeper.lifecycle.RotationProgress;
import com.lockkeeper.lifecycle.RotationScope;
import com.lockkeeper.lifecycle.Rotations;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import java.util.Locale;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Request the rotation of one key, a computer's keys or every key, and see how far the devices have got. Audited. */
@Controller
@RequestMapping("/admin/rotations")
class AdminRotationsController {

    private final Rotations rotations;

    AdminRotationsController(Rotations rotations) {
        this.rotations = rotations;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("rotations", rotations.latest(50));
        if (!model.containsAttribute("scope")) {
            model.addAttribute("scope", "key");
        }
        return "admin/rotations";
    }

    @PostMapping
    String request(@AuthenticationPrincipal SignedInUser me, @RequestParam(defaultValue = "key") String scope,
            @RequestParam(defaultValue = "") String key, @RequestParam(defaultValue = "") String computer,
            @RequestParam(defaultValue = "") String reason, Model model, RedirectAttributes redirect) {
        RotationScope rotationScope;
        try {
            rotationScope = RotationScope.valueOf(scope.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            rotationScope = RotationScope.KEY;
        }
        try {
            RotationProgress progress = rotations.request(rotationScope, rotationScope == RotationScope.KEY ? key : computer,
                    reason, me.actor());
            redirect.addFlashAttribute("notice", "Rotation request " + progress.id() + ": " + progress.keysRequested()
                    + " key(s) to rotate" + (progress.alreadyPending() > 0 ? ", " + progress.alreadyPending()
                    + " had a rotation pending already" : "") + ". Devices rotate them at their next check-in.");
            return "redirect:/admin/rotations";
        } catch (InvalidRequestException e) {
            for (FieldError error : e.errors()) {
                model.addAttribute(error.field() + "Error", sentence(error.reason()));
            }
            model.addAttribute("scope", rotationScope.dbValue());
            model.addAttribute("key", key);
            model.addAttribute("computer", computer);
            model.addAttribute("reason", reason);
            return list(model);
        }
    }

    private static String sentence(String message) {
        String text = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }
}
