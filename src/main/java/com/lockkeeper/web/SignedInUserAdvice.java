package com.lockkeeper.web;

import com.lockkeeper.users.SignedInUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every page knows who is signed in (`me`, or null): the layout shows the name, the roles' links and sign-out. */
@ControllerAdvice(annotations = Controller.class)
class SignedInUserAdvice {

    @ModelAttribute("me")
    SignedInUser me(@AuthenticationPrincipal SignedInUser me) {
        return me;
    }
}
