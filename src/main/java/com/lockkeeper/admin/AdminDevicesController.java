package com.lockkeeper.admin;

import com.lockkeeper.devices.Devices;
import com.lockkeeper.devices.EnrolledDevice;
import com.lockkeeper.users.SignedInUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Every device for administrators, pending ones first: approve or reject those, revoke any. All audited. */
@Controller
@RequestMapping("/admin/devices")
class AdminDevicesController {

    private final Devices devices;

    AdminDevicesController(Devices devices) {
        this.devices = devices;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("devices", devices.list(false));
        return "admin/devices";
    }

    @PostMapping("/{id}/approve")
    String approve(@AuthenticationPrincipal SignedInUser me, @PathVariable long id, RedirectAttributes redirect) {
        return decide(redirect, () -> {
            EnrolledDevice device = devices.approve(id, me.actor());
            return "Device " + device.id() + " is approved: it is " + device.computer() + "'s device now.";
        });
    }

    @PostMapping("/{id}/reject")
    String reject(@AuthenticationPrincipal SignedInUser me, @PathVariable long id, RedirectAttributes redirect) {
        return decide(redirect, () -> {
            EnrolledDevice device = devices.reject(id, me.actor());
            return "Device " + device.id() + " of " + device.computer() + " is rejected: its credential no longer works.";
        });
    }

    @PostMapping("/{id}/revoke")
    String revoke(@AuthenticationPrincipal SignedInUser me, @PathVariable long id, RedirectAttributes redirect) {
        return decide(redirect, () -> {
            EnrolledDevice device = devices.revoke(id, me.actor());
            return "Device " + device.id() + " of " + device.computer() + " is revoked: its credential no longer works, and"
                    + " the computer's next enrollment waits for approval.";
        });
    }

    private static String decide(RedirectAttributes redirect, java.util.function.Supplier<String> decision) {
        try {
            redirect.addFlashAttribute("notice", decision.get());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            redirect.addFlashAttribute("error", Character.toUpperCase(message.charAt(0)) + message.substring(1) + ".");
        }
        return "redirect:/admin/devices";
    }
}
