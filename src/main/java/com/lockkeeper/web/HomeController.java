package com.lockkeeper.web;

import com.lockkeeper.users.SignedInUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** `/` sends each person to the page of their work: helpdesk, the fleet dashboard (auditors and admins), or self-service. */
@Controller
class HomeController {

    @GetMapping("/")
    String home(@AuthenticationPrincipal SignedInUser me) {
        return "redirect:" + homeOf(me);
    }

    static String homeOf(SignedInUser me) {
        if (me.helpdesk()) {
            return "/helpdesk";
        }
        if (me.auditor() || me.admin()) {
            return "/dashboard";
        }
        return "/self-service";
    }
}
