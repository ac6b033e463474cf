package com.lockkeeper.helpdesk;

import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.ui.Model;

/** Puts a rejected form's errors into the page model: {@code errors} maps each field to what to do next. */
final class FormErrors {

    private FormErrors() {
    }

    static void add(Model model, InvalidRequestException e) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldError error : e.errors()) {
            errors.merge(error.field() == null ? "form" : error.field(), error.reason(), (a, b) -> a + " " + b);
        }
        model.addAttribute("errors", errors);
    }

    static void add(Model model, String field, String message) {
        model.addAttribute("errors", Map.of(field == null ? "form" : field, message));
    }

    static void empty(Model model) {
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
    }
}
