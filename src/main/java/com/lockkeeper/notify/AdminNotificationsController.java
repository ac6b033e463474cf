package com.lockkeeper.notify;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** `/admin/notifications`: whether mail is on, what waits, and the messages that failed (admins only, by the web security). */
@Controller
class AdminNotificationsController {

    private final Notifications notifications;

    AdminNotificationsController(Notifications notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/admin/notifications")
    String status(Model model) {
        model.addAttribute("status", notifications.status(100));
        return "admin/notifications";
    }
}
