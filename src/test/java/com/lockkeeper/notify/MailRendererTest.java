package com.lockkeeper.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of notification renders from its templates: a subject, a text and an HTML part, with the values it was given. */
class MailRendererTest {

    static final List<String> NAMES = List.of("computer", "keyId", "by", "at", "reason", "approval", "id", "requestedBy", "keyType",
            "requester", "identity", "notes", "whyRequired", "expiresAt", "decision", "decidedBy", "note", "validUntil",
            "justification", "action", "target", "actor", "detail");

    @Test
    void everyKindRendersWithASubjectTextAndHtml() {
        MailRenderer renderer = new MailRenderer();
        for (NoticeKind kind : NoticeKind.values()) {
            Map<String, String> model = new HashMap<>();
            NAMES.forEach(name -> model.put(name, "<" + name + "-value>"));
            model.put("decision", "approved");

            MailRenderer.Rendered mail = renderer.render(kind, model);

            assertThat(mail.subject()).as(kind.name()).isNotBlank().doesNotContain("\n");
            assertThat(mail.text()).as(kind.name()).isNotBlank().doesNotContain("[(").doesNotContain("Subject:");
            assertThat(mail.html()).as(kind.name()).startsWith("<!DOCTYPE html>").doesNotContain("<computer-value>")
                    .doesNotContain("<detail-value>");
        }
    }

    @Test
    void aNoticeRedactsARecoveryPasswordOrATokenInAnyValue() {
        assertThat(Notice.of(NoticeKind.KEY_REVEALED, List.of("a@corp.example.com"),
                Map.of("notes", "the password is 171743-460625-147972-321926-606430-707773-635965-345928")).model().get("notes"))
                .isEqualTo("the password is [redacted]");
        assertThat(Notice.of(NoticeKind.KEY_REVEALED, List.of("a@corp.example.com"),
                Map.of("notes", "171743460625147972321926606430707773635965345928")).model().get("notes")).isEqualTo("[redacted]");
        assertThat(Notice.of(NoticeKind.SIGN_IN_LOCKED, List.of("a@corp.example.com"),
                Map.of("detail", "typed lkp_nUhsaP0xRmBWJpgT3t0kAOUpGaOa13u9 as a user name")).model().get("detail"))
                .doesNotContain("nUhsaP0x");
        assertThatThrownBy(() -> Notice.of(NoticeKind.KEY_REVEALED, List.of("CORP\\alice"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyAccountNamesShapedLikeAddressesAreMailed() {
        assertThat(MailAddresses.of("alice@corp.example.com")).contains("alice@corp.example.com");
        assertThat(MailAddresses.of("CORP\\alice")).isEmpty();
        assertThat(MailAddresses.of("alice")).isEmpty();
        assertThat(Notifications.addressesOf(List.of("CORP\\bob", "bob@corp.example.com", "bob@corp.example.com")))
                .containsExactly("bob@corp.example.com");
    }
}
