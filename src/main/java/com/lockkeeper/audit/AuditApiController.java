package com.lockkeeper.audit;

import com.lockkeeper.http.InvalidRequestException;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** `GET /api/v1/audit`: the audit log for auditors' scripts, with the page's filters. */
@RestController
class AuditApiController {

    record Entry(Instant at, String actor, String action, String target, String outcome, String detail, String lane, long seq) {
    }

    record Answer(int page, int size, boolean hasNext, List<Entry> records) {
    }

    private final AuditSearch search;

    AuditApiController(AuditSearch search) {
        this.search = search;
    }

    @GetMapping("/api/v1/audit")
    Answer audit(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String page, @RequestParam(required = false) String size) {
        AuditFilters.Result checked = new AuditFilters(actor, action, from, to, number("page", page), number("size", size)).check();
        if (checked.query() == null) {
            throw new InvalidRequestException(checked.errors());
        }
        AuditPage result = search.search(checked.query());
        return new Answer(result.page(), result.size(), result.hasNext(), result.records().stream()
                .map(r -> new Entry(r.at(), r.actor(), r.action(), r.target(), r.outcome(), r.detail(), r.lane(), r.seq()))
                .toList());
    }

    private static Integer number(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(com.lockkeeper.http.FieldError.of(field, "a whole number, such as 0"));
        }
    }
}
