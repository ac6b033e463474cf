package com.lockkeeper.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The stored text of an action is in existing records and their hashes: distinct, and never changed. */
class AuditActionTest {

    @Test
    void everyActionIsStoredUnderTextOfItsOwnThatFitsTheColumn() {
        assertThat(Arrays.stream(AuditAction.values()).map(AuditAction::stored)).doesNotHaveDuplicates()
                .allSatisfy(text -> assertThat(text).matches("[a-z][a-z.-]{0,63}"));
    }

    @Test
    void wellKnownActionsKeepTheTextExistingRecordsHold() {
        assertThat(AuditAction.SIGN_IN.stored()).isEqualTo("signin");
        assertThat(AuditAction.ESCROW.stored()).isEqualTo("escrow");
        assertThat(AuditAction.REVEAL.stored()).isEqualTo("reveal");
        assertThat(AuditAction.REVEAL_KEY_PACKAGE.stored()).isEqualTo("reveal.key-package");
        assertThat(AuditAction.SELF_SERVICE_REVEAL.stored()).isEqualTo("self-service.reveal");
        assertThat(AuditAction.USER_CHANGE_PASSWORD.stored()).isEqualTo("user.passwd");
        assertThat(AuditAction.KEY_ESCROW_REQUESTED.stored()).isEqualTo("key.escrow-requested");
        assertThat(AuditAction.DATAKEY_REENCRYPT.stored()).isEqualTo("datakey.reencrypt");
        assertThat(AuditAction.ANALYSIS_CLOSE.stored()).isEqualTo("analysis.close");
        assertThat(AuditAction.REPORT_VIEW.stored()).isEqualTo("report.view");
    }

    @Test
    void aStoredTextNamesItsActionAndAnUnknownOneNone() {
        for (AuditAction action : AuditAction.values()) {
            assertThat(AuditAction.ofStored(action.stored())).contains(action);
        }
        assertThat(AuditAction.ofStored("test.commit")).isEmpty();
        assertThat(AuditAction.ofStored(null)).isEmpty();
    }
}
