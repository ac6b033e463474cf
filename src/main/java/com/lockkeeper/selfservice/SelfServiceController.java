package com.lockkeeper.selfservice;

import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.helpdesk.PasswordBlock;
import com.lockkeeper.keys.NodeSealedException;
import com.lockkeeper.recovery.ApprovalPendingException;
import com.lockkeeper.recovery.KeyNotFoundException;
import com.lockkeeper.recovery.RecoveryRefusedException;
import com.lockkeeper.recovery.SelfService;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * `/self-service`: people see their own computers and their keys' password IDs, and after
 * confirming a notice get the password of the key whose ID they type. The password is only in
 * the answer to that POST, which the browser does not store.
 */
@Controller
class SelfServiceController {

    private final SelfService selfService;

    SelfServiceController(SelfService selfService) {
        this.selfService = selfService;
    }

    @GetMapping("/self-service")
    String portal(@AuthenticationPrincipal SignedInUser me, Model model) {
        model.addAttribute("recoveryPasswordId", "");
        return portalPage(me, model, Map.of());
    }

    @PostMapping("/self-service/reveal")
    String reveal(@RequestParam(defaultValue = "") String recoveryPasswordId, @RequestParam(defaultValue = "false") boolean confirm,
            @AuthenticationPrincipal SignedInUser me, HttpServletRequest request, HttpServletResponse response, Model model) {
        model.addAttribute("recoveryPasswordId", recoveryPasswordId);
        if (!confirm) {
            return portalPage(me, model, Map.of("confirm", "Tick the box to confirm you have read the notice, then press"
                    + " Show my recovery password again."));
        }
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        try {
            RecoveryPassword password = selfService.reveal(me, recoveryPasswordId, request.getRemoteAddr());
            model.addAttribute("blocks", PasswordBlock.of(password));
            return "selfservice/reveal";
        } catch (InvalidRequestException e) {
            Map<String, String> errors = new LinkedHashMap<>();
            for (FieldError error : e.errors()) {
                errors.put(error.field() == null ? "form" : error.field(), error.reason());
            }
            return portalPage(me, model, errors);
        } catch (ApprovalPendingException e) {
            model.addAttribute("notice", capitalized(e.getMessage()) + ".");
            return portalPage(me, model, Map.of());
        } catch (KeyNotFoundException e) {
            return portalPage(me, model, Map.of("recoveryPasswordId", capitalized(e.getMessage()) + "."));
        } catch (RecoveryRefusedException | NodeSealedException e) {
            return portalPage(me, model, Map.of("form", capitalized(e.getMessage()) + "."));
        } catch (DataAccessException e) {
            return portalPage(me, model, Map.of("form", "Your recovery password could not be shown because the server could not"
                    + " record the request. Try again in a minute, or call the helpdesk."));
        }
    }

    private String portalPage(SignedInUser me, Model model, Map<String, String> errors) {
        model.addAttribute("computers", selfService.computersOf(me));
        model.addAttribute("remaining", Math.max(0, selfService.maxReveals() - selfService.revealsInWindow(me)));
        model.addAttribute("windowHours", selfService.windowHours());
        model.addAttribute("errors", errors);
        return "selfservice/portal";
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
