package com.lockkeeper.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.computers.KeyState;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.ServerPerDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The lifecycle tables through their repositories, on each database. */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class LifecycleRepositoriesTest {

    @Parameter
    DatabaseServer server;

    static String computer() {
        return "REPO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    @Test
    void aProtectorHasOnePendingActionOfAKindAndACompletedOneMakesRoomForTheNext() {
        DeviceActionRepository actions = server.bean(DeviceActionRepository.class);
        KeyState key = state(Recoveries.escrow(server.context(), computer(), "CORP\\alice", Instant.now()));
        Instant now = Instant.now();

        assertThat(actions.request(ActionKind.ROTATE, key.volumeRowId(), key.protectorId(), "user:hd", "disclosed", null, now)).isTrue();
        assertThat(actions.request(ActionKind.ROTATE, key.volumeRowId(), key.protectorId(), "user:hd", "again", null, now)).isFalse();
        assertThat(actions.request(ActionKind.ESCROW, key.volumeRowId(), key.protectorId(), "system", "drift", null, now)).isTrue();
        assertThat(actions.pendingForComputer(key.computerId()))
                .containsExactly(new PendingAction(ActionKind.ROTATE, key.volumeId(), key.protectorId()),
                        new PendingAction(ActionKind.ESCROW, key.volumeId(), key.protectorId()));

        assertThat(actions.complete(ActionKind.ROTATE, key.protectorId(), now)).isTrue();
        assertThat(actions.complete(ActionKind.ROTATE, key.protectorId(), now)).isFalse();
        assertThat(actions.isPending(ActionKind.ROTATE, key.protectorId())).isFalse();
        assertThat(actions.request(ActionKind.ROTATE, key.volumeRowId(), key.protectorId(), "user:hd", "once more", null, now)).isTrue();
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM device_action WHERE protector_id = :p")
                .param("p", key.protectorId().hex()).query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void aRotationRequestCountsItsActionsByState() {
        DeviceActionRepository actions = server.bean(DeviceActionRepository.class);
        KeyState a = state(Recoveries.escrow(server.context(), computer(), "CORP\\alice", Instant.now()));
        KeyState b = state(Recoveries.escrow(server.context(), computer(), "CORP\\alice", Instant.now()));
        Instant now = Instant.now();
        actions.request(ActionKind.ROTATE, b.volumeRowId(), b.protectorId(), "user:hd", "disclosed", null, now);

        long request = actions.createRequest("all", null, "incident 42", "cli:root@node", now);
        int created = actions.requestRotations(List.of(a, b), "cli:root@node", "incident 42", request, now);
        actions.countRequest(request, created, 2 - created);
        actions.complete(ActionKind.ROTATE, a.protectorId(), now);

        RotationProgress progress = actions.progress(request).orElseThrow();
        assertThat(created).isEqualTo(1);
        assertThat(progress.keysRequested()).isEqualTo(1);
        assertThat(progress.alreadyPending()).isEqualTo(1);
        assertThat(progress.done()).isEqualTo(1);
        assertThat(progress.pending()).isZero();
        assertThat(actions.latestRequests(5)).extracting(RotationProgress::id).contains(request);
    }

    @Test
    void aKeyIsDisclosedOnceAndRetiredWithItsReason() {
        RecoveryKeyRepository keys = server.bean(RecoveryKeyRepository.class);
        KeyState key = state(Recoveries.escrow(server.context(), computer(), "CORP\\alice", Instant.now()));
        Instant first = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        assertThat(keys.markDisclosed(key.id(), first)).isTrue();
        assertThat(keys.markDisclosed(key.id(), first.plusSeconds(60))).isFalse();
        assertThat(keys.liveKeysOnVolume(key.volumeRowId())).extracting(KeyState::status).containsExactly(KeyStatus.DISCLOSED);
        assertThat(keys.retire(key.id(), "rotated", first.plusSeconds(120))).isTrue();
        assertThat(keys.retire(key.id(), "removed on device", first.plusSeconds(180))).isFalse();

        var row = server.jdbc().sql("SELECT status, disclosed_at, retired_reason FROM recovery_key WHERE id = :id")
                .param("id", key.id()).query().singleRow();
        assertThat(row.get("status")).isEqualTo("retired");
        assertThat(row.get("retired_reason")).isEqualTo("rotated");
        assertThat(keys.liveKeysOnVolume(key.volumeRowId())).isEmpty();
    }

    @Test
    void anEventSentTwiceIsStoredOnce() {
        RecoveryEventRepository events = server.bean(RecoveryEventRepository.class);
        KeyState key = state(Recoveries.escrow(server.context(), computer(), "CORP\\alice", Instant.now()));
        RecoveryEvent event = new RecoveryEvent(key.computerId(), key.volumeRowId(), key.protectorId().hex(),
                Instant.parse("2026-11-20T08:00:00Z"), RecoveryEvent.DEVICE, "BitLocker-Driver", 24652, "RecoveryPassword",
                "Boot configuration changed", "TpmPin", "0,2,4,11", "1.2.3", null, "device-token:site", null, null, null,
                "dedup-" + UUID.randomUUID());

        assertThat(events.insert(event, Instant.now())).isTrue();
        assertThat(events.insert(event, Instant.now())).isFalse();
        assertThat(events.ofComputer(key.computerId())).containsExactly(event);
    }

    @Test
    void everyRevealIsARecoveryEventOfItsSourceAndAPasswordRevealSchedulesTheRotation() {
        RevealService reveals = server.bean(RevealService.class);
        Escrowed selfService = Recoveries.escrow(server.context(), computer(), "CORP\\bob", Instant.now());
        Escrowed helpdesk = Recoveries.escrow(server.context(), computer(), "CORP\\bob", Instant.now());

        reveals.reveal(selfService.id(), new RevealRequest("self-service recovery", "signed in as bob via local",
                "bob (associated user)", null, null, "", "self-service", "127.0.0.1"), Actor.user("bob"));
        reveals.revealKeyPackage(helpdesk.id(), new RevealRequest("Lost startup key", "Call back to the number on file",
                "CORP\\bob", "disk damaged", null, "ADVANCED_HELPDESK", "helpdesk-web via local", "127.0.0.1"), Actor.user("adv"));

        JdbcClient jdbc = server.jdbc();
        assertThat(jdbc.sql("SELECT source || '|' || key_type || '|' || recovery_reason || '|' || actor FROM recovery_event"
                        + " WHERE protector_id = :p").param("p", selfService.id().hex()).query(String.class).single())
                .isEqualTo("self-service|recovery password|self-service recovery|user:bob");
        assertThat(jdbc.sql("SELECT source || '|' || key_type || '|' || identity_verification || '|' || message FROM recovery_event"
                        + " WHERE protector_id = :p").param("p", helpdesk.id().hex()).query(String.class).single())
                .isEqualTo("helpdesk|key package|Call back to the number on file|disk damaged");
        DeviceActionRepository actions = server.bean(DeviceActionRepository.class);
        assertThat(state(selfService).status()).isEqualTo(KeyStatus.DISCLOSED);
        assertThat(actions.isPending(ActionKind.ROTATE, selfService.id())).isTrue();
        assertThat(state(helpdesk).status()).as("a key package alone does not unlock").isEqualTo(KeyStatus.ACTIVE);
        assertThat(actions.isPending(ActionKind.ROTATE, helpdesk.id())).isFalse();
    }

    KeyState state(Escrowed escrowed) {
        return server.bean(RecoveryKeyRepository.class).stateOf(escrowed.id()).orElseThrow();
    }
}
