package com.lockkeeper.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.ComputerSummary;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.KeySummary;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The helpdesk procedure against a real installation on embedded H2: every rule of each step. */
@WebServerTest
class HelpdeskRecoveryTest {

    static final SignedInUser HELPDESK = new SignedInUser("hd1", Set.of(Role.HELPDESK), "form");
    static final SignedInUser ADVANCED = new SignedInUser("adv1", Set.of(Role.ADVANCED_HELPDESK), "token");
    static final SignedInUser ADMIN = new SignedInUser("root", Set.of(Role.ADMIN), "form");
    static final HelpdeskRequest ALICE_CALLS = new HelpdeskRequest("alice@corp.example.com",
            "Call back to the number on file", null, null, "Lost or forgotten PIN", "typed the PIN wrong three times");

    static ApplicationContext server;
    static HelpdeskRecovery helpdesk;
    static JdbcClient jdbc;

    @BeforeAll
    static void start(@Autowired ApplicationContext context) {
        server = context;
        helpdesk = server.getBean(HelpdeskRecovery.class);
        jdbc = server.getBean(JdbcClient.class);
    }

    static String newComputer() {
        return "PC-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    @Test
    void findsAComputerByNameFqdnOrWholeDriveLabelInAnyCase() {
        String name = newComputer();
        Recoveries.escrow(server, name + ".corp.example.com", "CORP\\alice", Instant.now());

        for (String typed : List.of(name, name.toLowerCase(), name.toLowerCase() + ".corp.example.com",
                name + " C: 11/23/2026", "  " + name.toLowerCase() + " C: 11/23/2026 ")) {
            SearchResult result = helpdesk.findComputer(typed);
            assertThat(result.computer()).as(typed).map(ComputerSummary::name).contains(name);
        }
    }

    @Test
    void aPartialNameListsCandidatesAndNothingFoundListsNone() {
        String stem = "KIOSK" + UUID.randomUUID().toString().substring(0, 4).toUpperCase();
        Recoveries.escrow(server, stem + "-01", "CORP\\bob", Instant.now());
        Recoveries.escrow(server, stem + "-02", "CORP\\bob", Instant.now());

        SearchResult partial = helpdesk.findComputer(stem.toLowerCase());
        assertThat(partial.found()).isFalse();
        assertThat(partial.candidates()).extracting(ComputerSummary::name).containsExactly(stem + "-01", stem + "-02");

        SearchResult nothing = helpdesk.findComputer("NO-SUCH-" + stem);
        assertThat(nothing.found()).isFalse();
        assertThat(nothing.candidates()).isEmpty();
        assertThat(fieldErrors(() -> helpdesk.findComputer("  "))).containsKey("name");
    }

    @Test
    void anAssociatedCallerIsRecognisedWhateverFormTheAccountIsWrittenIn() {
        ComputerSummary computer = computerWithKeys(1).computer;
        for (String account : List.of("CORP\\alice", "alice", "ALICE@corp.example.com")) {
            Caller caller = helpdesk.checkCaller(HELPDESK, computer, new HelpdeskRequest(account,
                    "call back to the number on file", null, null, null, null));
            assertThat(caller.associated()).as(account).isTrue();
            assertThat(caller.verification()).isEqualTo("Call back to the number on file");
        }
    }

    @Test
    void theIdentityStepNeedsACallerAndAMethodFromTheListAndOtherNeedsText() {
        ComputerSummary computer = computerWithKeys(1).computer;

        assertThat(fieldErrors(() -> helpdesk.checkCaller(HELPDESK, computer, new HelpdeskRequest(" ", "Faxed a selfie", null,
                null, null, null)))).containsOnlyKeys("requester", "identityVerification");
        assertThat(fieldErrors(() -> helpdesk.checkCaller(HELPDESK, computer, new HelpdeskRequest("CORP\\alice", "Other (notes required)",
                null, null, null, null)))).containsOnlyKeys("identityText");

        Caller other = helpdesk.checkCaller(HELPDESK, computer, new HelpdeskRequest("CORP\\alice", "Other", "known voice, on site",
                null, null, null));
        assertThat(other.verification()).isEqualTo("Other: known voice, on site");
        Caller apiForm = helpdesk.checkCaller(HELPDESK, computer, new HelpdeskRequest("CORP\\alice", "other: HR confirmed",
                null, null, null, null));
        assertThat(apiForm.verification()).isEqualTo("Other: HR confirmed");
    }

    @Test
    void aCallerWhoIsNotAnAssociatedUserStopsHelpdeskAndIsAudited() {
        ComputerSummary computer = computerWithKeys(1).computer;
        HelpdeskRequest mallory = new HelpdeskRequest("CORP\\mallory", "Call back to the number on file", null, null, null, null);

        RecoveryRefusedException refused = catchThrowableOfType(RecoveryRefusedException.class,
                () -> helpdesk.checkCaller(HELPDESK, computer, mallory));

        assertThat(refused.field()).isEqualTo("requester");
        assertThat(refused.getMessage()).contains("not an associated user", "ADVANCED_HELPDESK");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE actor = 'user:hd1' AND outcome = 'refused' AND target = :t")
                .param("t", "computer " + computer.name()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void advancedHelpdeskMayGoOnForANonAssociatedCallerOnlyWithAJustification() {
        ComputerSummary computer = computerWithKeys(1).computer;
        HelpdeskRequest manager = new HelpdeskRequest("CORP\\carol", "Confirmed by the user's manager", null, null, null, null);

        assertThat(fieldErrors(() -> helpdesk.checkCaller(ADVANCED, computer, manager))).containsOnlyKeys("justification");

        Caller caller = helpdesk.checkCaller(ADVANCED, computer, new HelpdeskRequest("CORP\\carol",
                "Confirmed by the user's manager", null, "alice's manager, alice is in hospital", null, null));
        assertThat(caller.associated()).isFalse();
        assertThat(caller.justification()).isEqualTo("alice's manager, alice is in hospital");
    }

    @Test
    void staffWithoutAHelpdeskRoleCannotUseTheProcedure() {
        Fixture fixture = computerWithKeys(1);
        assertThatThrownBy(() -> helpdesk.checkCaller(ADMIN, fixture.computer, ALICE_CALLS))
                .isInstanceOf(RecoveryRefusedException.class).hasMessageContaining("HELPDESK");
        assertThatThrownBy(() -> helpdesk.reveal(ADMIN, fixture.keys.get(0).id(), ALICE_CALLS, "test", "127.0.0.1"))
                .isInstanceOf(RecoveryRefusedException.class);
        assertThat(status(fixture.keys.get(0))).isEqualTo("active");
    }

    @Test
    void keysAreListedNewestFirstAndSeveralKeysNeedThePasswordId() {
        Fixture fixture = computerWithKeys(2);
        Escrowed older = fixture.keys.get(0);
        Escrowed newer = fixture.keys.get(1);

        List<KeySummary> keys = helpdesk.keysOf(fixture.computer);
        assertThat(keys).extracting(KeySummary::protectorId).containsExactly(newer.id(), older.id());
        assertThat(keys.get(0).driveLabel()).isEqualTo(fixture.computer.name() + " C: 11/23/2026");
        assertThat(keys.get(0).volumeType()).isEqualTo("OperatingSystem");
        assertThat(keys.get(0).status()).isEqualTo(KeyStatus.ACTIVE);

        assertThat(fieldErrors(() -> helpdesk.chooseKey(fixture.computer, ""))).containsOnlyKeys("recoveryPasswordId")
                .extractingByKey("recoveryPasswordId").asString().contains("2 recovery keys", "8-character password ID");
        String typed = "{" + older.id().shortId().toLowerCase().substring(0, 4) + "-" + older.id().shortId().substring(4);
        assertThat(helpdesk.chooseKey(fixture.computer, typed).protectorId()).isEqualTo(older.id());
        assertThat(helpdesk.chooseKey(fixture.computer, newer.id().toString()).protectorId()).isEqualTo(newer.id());
        assertThat(fieldErrors(() -> helpdesk.chooseKey(fixture.computer, "1234"))).extractingByKey("recoveryPasswordId")
                .asString().contains("has 4");
        assertThat(fieldErrors(() -> helpdesk.chooseKey(fixture.computer, "GGGGGGGG"))).containsKey("recoveryPasswordId");
    }

    @Test
    void oneKeyNeedsNoIdButATypedIdMustMatchIt() {
        Fixture fixture = computerWithKeys(1);
        assertThat(helpdesk.chooseKey(fixture.computer, null).protectorId()).isEqualTo(fixture.keys.get(0).id());
        String wrong = fixture.keys.get(0).id().shortId().startsWith("0") ? "11111111" : "00000000";
        assertThat(fieldErrors(() -> helpdesk.chooseKey(fixture.computer, wrong))).extractingByKey("recoveryPasswordId")
                .asString().contains("no recovery key of");
    }

    @Test
    void theGlobalSearchByPasswordIdListsEveryMatchWhenThePrefixIsAmbiguous() {
        String shared = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Escrowed first = Recoveries.escrow(server, newComputer(), "CORP\\alice", Instant.now(), Recoveries.idStartingWith(shared));
        Escrowed second = Recoveries.escrow(server, newComputer(), "CORP\\bob", Instant.now(), Recoveries.idStartingWith(shared));

        assertThat(helpdesk.keysById(shared.toLowerCase(), "id")).extracting(KeySummary::protectorId)
                .containsExactlyInAnyOrder(first.id(), second.id());
        AmbiguousIdException ambiguous = catchThrowableOfType(AmbiguousIdException.class, () -> helpdesk.keyById(shared, "id"));
        assertThat(ambiguous.matches()).extracting(KeySummary::computerName)
                .containsExactlyInAnyOrder(first.computer(), second.computer());
        assertThat(helpdesk.keyById(first.id().hex().substring(0, 12), "id").protectorId()).isEqualTo(first.id());
        assertThatThrownBy(() -> helpdesk.keyById(shared.substring(0, 7) + (shared.endsWith("F") ? "E" : "F"), "id"))
                .isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    void aReasonFromTheListIsRequiredAndOtherNeedsNotes() {
        assertThat(fieldErrors(() -> helpdesk.checkReason(new HelpdeskRequest(null, null, null, null, null, "notes only"))))
                .containsOnlyKeys("reason").extractingByKey("reason").asString().contains("required", "Lost or forgotten PIN");
        assertThat(fieldErrors(() -> helpdesk.checkReason(new HelpdeskRequest(null, null, null, null, "Cosmic rays", null))))
                .containsOnlyKeys("reason");
        assertThat(fieldErrors(() -> helpdesk.checkReason(new HelpdeskRequest(null, null, null, null, "Other (notes required)", " "))))
                .containsOnlyKeys("notes");
        assertThat(helpdesk.checkReason(new HelpdeskRequest(null, null, null, null, "other", "spilled coffee")))
                .isEqualTo(new Reason("Other", "spilled coffee"));
        assertThat(helpdesk.checkReason(new HelpdeskRequest(null, null, null, null, "lost startup key", null)).label())
                .isEqualTo("Lost startup key");
    }

    @Test
    void aRevealWithAMissingReasonShowsNothingAndChangesNothing() {
        Escrowed key = computerWithKeys(1).keys.get(0);
        HelpdeskRequest noReason = new HelpdeskRequest("CORP\\alice", "Call back to the number on file", null, null, null, null);

        assertThat(fieldErrors(() -> helpdesk.reveal(HELPDESK, key.id(), noReason, "test", "10.0.0.9"))).containsOnlyKeys("reason");
        assertThat(status(key)).isEqualTo("active");
        assertThat(reveals(key)).isEmpty();
    }

    @Test
    void theRevealReturnsThePasswordMarksTheKeyDisclosedAndAuditsEveryDetail() {
        Escrowed key = computerWithKeys(2).keys.get(0);

        RecoveryPassword revealed = helpdesk.reveal(HELPDESK, key.id(), ALICE_CALLS, "helpdesk-api", "10.0.0.9");

        assertThat(revealed).isEqualTo(key.password());
        assertThat(status(key)).isEqualTo("disclosed");
        List<Map<String, Object>> records = reveals(key);
        assertThat(records).hasSize(1);
        Map<String, Object> record = records.get(0);
        assertThat(record).containsEntry("actor", "user:hd1").containsEntry("outcome", "success");
        assertThat(record.get("at")).isNotNull();
        assertThat((String) record.get("detail")).doesNotContain(key.password().reveal());
        assertThat(RevealDetails.read((String) record.get("detail")))
                .extracting(RevealDetails::computer, RevealDetails::role, RevealDetails::requester, RevealDetails::identity,
                        RevealDetails::reason, RevealDetails::notes, RevealDetails::client, RevealDetails::channel)
                .containsExactly(key.computer(), "HELPDESK", "alice@corp.example.com (associated user)",
                        "Call back to the number on file", "Lost or forgotten PIN", "typed the PIN wrong three times", "10.0.0.9",
                        "helpdesk-api via form");
    }

    @Test
    void ifTheAuditRecordCannotBeWrittenNothingIsRevealedAndTheKeyStaysActive() {
        Escrowed key = computerWithKeys(1).keys.get(0);
        // The database refuses exactly this key's reveal record, as a full disk or a lost connection would.
        jdbc.sql("ALTER TABLE audit_log ADD CONSTRAINT refuse_this_reveal CHECK (action <> 'reveal' OR target <> :t)")
                .param("t", "key " + key.id()).update();
        try {
            assertThatThrownBy(() -> helpdesk.reveal(HELPDESK, key.id(), ALICE_CALLS, "test", "10.0.0.9"))
                    .isInstanceOf(org.springframework.dao.DataAccessException.class)
                    .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(key.password().reveal()));
        } finally {
            jdbc.sql("ALTER TABLE audit_log DROP CONSTRAINT refuse_this_reveal").update();
        }
        assertThat(status(key)).isEqualTo("active");
        assertThat(reveals(key)).isEmpty();
        assertThat(helpdesk.reveal(HELPDESK, key.id(), ALICE_CALLS, "test", "10.0.0.9")).isEqualTo(key.password());
    }

    @Test
    void onlyAdvancedHelpdeskGetsTheKeyPackageAndItIsAudited() {
        Escrowed key = computerWithKeys(1).keys.get(0);

        assertThatThrownBy(() -> helpdesk.keyPackage(HELPDESK, key.id(), ALICE_CALLS, "test", "10.0.0.9"))
                .isInstanceOf(RecoveryRefusedException.class).hasMessageContaining("ADVANCED_HELPDESK");
        byte[] keyPackage = helpdesk.keyPackage(ADVANCED, key.id(), ALICE_CALLS, "test", "10.0.0.9");

        assertThat(new String(keyPackage)).isEqualTo("key package of " + key.id());
        assertThat(jdbc.sql("SELECT outcome FROM audit_log WHERE action = 'reveal.key-package' AND target = :t ORDER BY at")
                .param("t", "key " + key.id()).query(String.class).list()).containsExactly("refused", "success");
    }

    @Test
    void advancedHelpdeskRevealsForANonAssociatedCallerAndTheJustificationIsAudited() {
        Escrowed key = computerWithKeys(1).keys.get(0);
        HelpdeskRequest manager = new HelpdeskRequest("CORP\\carol", "Confirmed by the user's manager", null,
                "alice's manager; alice is abroad", "Lost startup key", null);

        assertThat(helpdesk.reveal(ADVANCED, key.id(), manager, "helpdesk-web", "10.0.0.7")).isEqualTo(key.password());
        assertThat(RevealDetails.read((String) reveals(key).get(0).get("detail")))
                .extracting(RevealDetails::role, RevealDetails::requester, RevealDetails::justification, RevealDetails::channel)
                .containsExactly("ADVANCED_HELPDESK", "CORP\\carol (not an associated user)", "alice's manager; alice is abroad",
                        "helpdesk-web via token");
    }

    record Fixture(ComputerSummary computer, List<Escrowed> keys) {
    }

    /** A computer of CORP\alice with n keys, created a day apart, oldest first. */
    static Fixture computerWithKeys(int n) {
        String name = newComputer();
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        List<Escrowed> keys = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(Recoveries.escrow(server, name, "CORP\\alice", start.plusSeconds(86_400L * i)));
        }
        return new Fixture(helpdesk.findComputer(name).computer().orElseThrow(), keys);
    }

    static String status(Escrowed key) {
        return jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :id").param("id", key.id().hex())
                .query(String.class).single();
    }

    static List<Map<String, Object>> reveals(Escrowed key) {
        return jdbc.sql("SELECT * FROM audit_log WHERE action = 'reveal' AND target = :t AND outcome = 'success'")
                .param("t", "key " + key.id()).query().listOfRows();
    }

    static Map<String, String> fieldErrors(Runnable call) {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call::run);
        assertThat(e).as("an InvalidRequestException").isNotNull();
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        for (FieldError error : e.errors()) {
            errors.put(error.field(), error.reason());
        }
        return errors;
    }
}
