package com.lockkeeper.audit;

import com.lockkeeper.http.FieldError;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The auditor's read-only view of the audit log: filters, newest first, a page at a time. */
@Controller
class AuditController {

    private final AuditSearch search;

    AuditController(AuditSearch search) {
        this.search = search;
    }

    @GetMapping("/audit")
    String log(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer page, Model model) {
        AuditFilters.Result checked = new AuditFilters(actor, action, from, to, page, null).check();
        model.addAttribute("actor", actor);
        model.addAttribute("action", action);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldError error : checked.errors()) {
            errors.put(error.field(), Character.toUpperCase(error.reason().charAt(0)) + error.reason().substring(1) + ".");
        }
        model.addAttribute("errors", errors);
        if (checked.query() != null) {
            model.addAttribute("result", search.search(checked.query()));
        }
        return "audit/log";
    }
}
