package com.lockkeeper.admin;

import com.lockkeeper.support.Password;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.users.UserAccounts;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Local accounts for administrators: list, add, change roles, disable or enable, set a temporary password. All audited. */
@Controller
@RequestMapping("/admin/users")
class AdminUsersController {

    private final UserAccounts users;

    AdminUsersController(UserAccounts users) {
        this.users = users;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("allRoles", Role.values());
        model.addAttribute("minLength", UserAccounts.MIN_PASSWORD_LENGTH);
        return "admin/users";
    }

    @PostMapping
    String add(@AuthenticationPrincipal SignedInUser me, @RequestParam(defaultValue = "") String username,
            @RequestParam(required = false) List<String> roles, @RequestParam(defaultValue = "") String password,
            Model model, RedirectAttributes redirect) {
        String name = username.strip();
        if (name.isEmpty()) {
            model.addAttribute("usernameError", "Type the new user's sign-in name, such as alice.");
        } else if (password.length() < UserAccounts.MIN_PASSWORD_LENGTH) {
            model.addAttribute("passwordError", "Choose a temporary password of at least " + UserAccounts.MIN_PASSWORD_LENGTH
                    + " characters; the user changes it at first sign-in.");
        } else {
            try (Password temporary = Password.copyOf(password)) {
                Set<Role> parsed = parse(roles);
                users.add(name, parsed, temporary, true, me.actor());
                redirect.addFlashAttribute("notice", "Added " + name + " (" + describe(parsed) + "). Give them the temporary"
                        + " password by a separate channel; they choose their own at first sign-in.");
                return "redirect:/admin/users";
            } catch (IllegalArgumentException e) {
                model.addAttribute(e.getMessage().contains("password") && !e.getMessage().contains("exists")
                        ? "passwordError" : "usernameError", sentence(e.getMessage()));
            }
        }
        model.addAttribute("username", name);
        model.addAttribute("chosenRoles", roles == null ? List.of() : roles);
        return list(model);
    }

    @PostMapping("/{username}/roles")
    String roles(@AuthenticationPrincipal SignedInUser me, @PathVariable String username,
            @RequestParam(required = false) List<String> roles, RedirectAttributes redirect) {
        return act(redirect, () -> {
            Set<Role> parsed = parse(roles);
            if (username.equalsIgnoreCase(me.username()) && !parsed.contains(Role.ADMIN)) {
                throw new IllegalArgumentException("you cannot take the ADMIN role from your own account: ask another"
                        + " administrator");
            }
            users.setRoles(username, parsed, me.actor());
            return username + " now has: " + describe(parsed) + ". It applies from their next sign-in.";
        });
    }

    @PostMapping("/{username}/disable")
    String disable(@AuthenticationPrincipal SignedInUser me, @PathVariable String username, RedirectAttributes redirect) {
        return act(redirect, () -> {
            if (username.equalsIgnoreCase(me.username())) {
                throw new IllegalArgumentException("you cannot disable your own account: ask another administrator");
            }
            users.setDisabled(username, true, me.actor());
            return username + " is disabled: they cannot sign in and their access tokens stop working.";
        });
    }

    @PostMapping("/{username}/enable")
    String enable(@AuthenticationPrincipal SignedInUser me, @PathVariable String username, RedirectAttributes redirect) {
        return act(redirect, () -> {
            users.setDisabled(username, false, me.actor());
            return username + " is enabled again.";
        });
    }

    @PostMapping("/{username}/password")
    String resetPassword(@AuthenticationPrincipal SignedInUser me, @PathVariable String username,
            @RequestParam(defaultValue = "") String password, RedirectAttributes redirect) {
        return act(redirect, () -> {
            try (Password temporary = Password.copyOf(password)) {
                users.resetPassword(username, temporary, me.actor());
            }
            return "Temporary password set for " + username + "; they choose a new one at their next sign-in.";
        });
    }

    private interface Change {
        String apply();
    }

    private static String act(RedirectAttributes redirect, Change change) {
        try {
            redirect.addFlashAttribute("notice", change.apply());
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", sentence(e.getMessage()));
        }
        return "redirect:/admin/users";
    }

    private static Set<Role> parse(List<String> roles) {
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        if (roles != null) {
            roles.forEach(role -> parsed.add(Role.parse(role)));
        }
        return parsed;
    }

    private static String describe(Set<Role> roles) {
        return roles.isEmpty() ? "end user, self-service only" : String.join(", ", roles.stream().map(Role::name).toList());
    }

    private static String sentence(String message) {
        String text = message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }
}
