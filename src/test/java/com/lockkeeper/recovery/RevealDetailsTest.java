package com.lockkeeper.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A reveal's audit detail is stored as JSON and read by key; the free text of older records still reads. */
class RevealDetailsTest {

    @Test
    void aRevealIsStoredAsJsonWithSortedKeysAndNoEmptyFields() {
        RevealDetails details = new RevealRequest("Lost or forgotten PIN", "Call back to the number on file", "CORP\\alice (associated user)",
                "typed it\nwrong", null, "HELPDESK", "helpdesk-web via form", "10.0.0.9").auditDetails("PC-1");

        assertThat(details.json()).isEqualTo("{\"channel\":\"helpdesk-web via form\",\"client\":\"10.0.0.9\",\"computer\":\"PC-1\","
                + "\"identity\":\"Call back to the number on file\",\"notes\":\"typed it wrong\",\"reason\":\"Lost or forgotten PIN\","
                + "\"requester\":\"CORP\\\\alice (associated user)\",\"role\":\"HELPDESK\"}");
        assertThat(RevealDetails.read(details.json())).isEqualTo(details);
    }

    @Test
    void aRefusalSaysWhy() {
        RevealDetails refused = RevealDetails.notRevealed("the caller is not an associated user", "PC-1", "CORP\\mallory", "HELPDESK",
                null);

        assertThat(RevealDetails.read(refused.json())).isEqualTo(refused);
        assertThat(refused.why()).isEqualTo("the caller is not an associated user");
        assertThat(refused.requester()).isEqualTo("CORP\\mallory");
    }

    @Test
    void theFreeTextOfOlderRecordsIsReadByNameWithTheWholeTextAsWhy() {
        String older = "requester: CORP\\mallory is not an associated user; role: HELPDESK";

        RevealDetails read = RevealDetails.read(older);

        assertThat(read.requester()).isEqualTo("CORP\\mallory");
        assertThat(read.role()).isEqualTo("HELPDESK");
        assertThat(read.reason()).isNull();
        assertThat(read.why()).isEqualTo(older);
        assertThat(RevealDetails.read("computer: PC-1; role: HELPDESK; reason: Lost startup key; channel: helpdesk-api via token"))
                .satisfies(r -> {
                    assertThat(r.computer()).isEqualTo("PC-1");
                    assertThat(r.reason()).isEqualTo("Lost startup key");
                    assertThat(r.channel()).isEqualTo("helpdesk-api via token");
                });
        assertThat(RevealDetails.read("limit of 2 reveals per PT24H reached; client: 10.1.1.3").client()).isEqualTo("10.1.1.3");
    }
}
