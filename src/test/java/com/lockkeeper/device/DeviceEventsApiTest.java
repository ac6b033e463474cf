package com.lockkeeper.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.lifecycle.Disclosures;
import com.lockkeeper.lifecycle.RecoveryEvent;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.DeviceSimulator.Volume;
import com.lockkeeper.testing.ServerPerDatabase;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * `POST /api/v1/events` never blocks the client: what the server does not read is left out and
 * counted, only a body that is not an events report is refused; an event is the same event
 * again only with the same record number, event ID and time. Over real HTTP, on each database.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
@ExtendWith(OutputCaptureExtension.class)
class DeviceEventsApiTest {

    @Parameter
    DatabaseServer server;

    DeviceSimulator device() {
        return new DeviceSimulator(server.api(), server.newEnrollmentToken(),
                "EVT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + ".corp.example.com");
    }

    @Test
    void eventsItDoesNotReadAreIgnoredAndCountedAndUnknownFieldsSkippedWhileTheRestIsStored(CapturedOutput output) {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        pc.escrowAll();
        Map<String, Object> pcrChanged = event(c, "2026-11-20T07:50:00Z", "BitLocker-API", 522, 1);
        pcrChanged.put("providerGuid", "{5D674230-CA9F-11DA-A94D-0800200C9A66}");
        pcrChanged.put("level", 4);
        Map<String, Object> unknownId = event(c, "2026-11-20T07:51:00Z", "BitLocker-API", 777, 2);
        Map<String, Object> badTime = event(c, "yesterday", "BitLocker-Driver", 24652, 3);
        Map<String, Object> badPcr = event(c, "2026-11-20T07:52:00Z", "BitLocker-API", 521, 4);
        badPcr.put("pcrProfile", "all of them");
        Map<String, Object> otherLog = event(c, "2026-11-20T07:53:00Z", "Microsoft-Windows-BitLocker-DrivePreparationTool", 1, 5);
        Map<String, Object> eventIdAsText = event(c, "2026-11-20T07:54:00Z", "BitLocker-API", 782, 6);
        eventIdAsText.put("eventId", "782");

        Response response = post(pc, Map.of("computer", pc.computer(), "clientVersion", "2.1.0", "events",
                Arrays.asList(pcrChanged, unknownId, badTime, badPcr, null, otherLog, "not an event", eventIdAsText)));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("received").asInt()).isEqualTo(8);
        assertThat(response.json().path("stored").asInt()).isEqualTo(1);
        assertThat(response.json().path("duplicates").asInt()).isZero();
        assertThat(response.json().path("ignored").asInt()).isEqualTo(7);
        assertThat(storedEvents(pc)).containsExactly("BitLocker-API 522");
        assertThat(status(c.recoveryPasswordIds().get(0))).as("the unread 24652 discloses nothing").isEqualTo("active");
        assertThat(output.getOut()).contains("Events from " + name(pc) + ": 7 of 8 not read and counted as ignored")
                .contains("events[1].eventId: is not an event Lockkeeper reads from BitLocker-API")
                .contains("events[3].pcrProfile: must be the PCR indexes")
                .doesNotContain("all of them").doesNotContain("yesterday");
    }

    @Test
    void onlyABodyThatIsNotAnEventsReportIsRefused() {
        DeviceSimulator pc = device();
        Map<String, Object> one = new LinkedHashMap<>(Map.of("time", "2026-11-20T07:50:00Z", "source", "BitLocker-API",
                "eventId", 522));
        List<Map<String, Object>> tooMany = java.util.Collections.nCopies(201, one);

        for (String body : List.of("not json", "[]", "{\"events\": []}", "{\"computer\": \"" + pc.computer() + "\"}",
                "{\"computer\": \"" + pc.computer() + "\", \"events\": {\"time\": \"2026-11-20T07:50:00Z\"}}",
                "{\"computer\": 42, \"events\": []}",
                com.lockkeeper.testing.Escrows.json(Map.of("computer", pc.computer(), "events", tooMany)))) {
            Response response = server.api().post("/api/v1/events", pc.token(), body);
            assertThat(response.status()).as(body.length() > 80 ? body.substring(0, 80) : body).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM computer WHERE name = :n").param("n", name(pc)).query(Long.class)
                .single()).isZero();

        Response empty = post(pc, Map.of("computer", pc.computer(), "events", List.of()));
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().path("received").asInt()).isZero();
    }

    @Test
    void theSameRecordNumberAtAnotherTimeIsAnotherEventAfterTheLogWasClearedOrWindowsReinstalled() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        pc.escrowAll();
        Map<String, Object> before = event(c, "2026-03-02T08:00:00Z", "BitLocker-API", 782, 17);
        Map<String, Object> afterReimage = event(c, "2026-11-20T07:55:00Z", "BitLocker-API", 782, 17);
        Map<String, Object> otherEvent = event(c, "2026-11-20T07:55:00Z", "BitLocker-API", 522, 17);

        assertThat(post(pc, events(pc, before)).json().path("stored").asInt()).isEqualTo(1);
        Response again = post(pc, events(pc, before, afterReimage, otherEvent));

        assertThat(again.json().path("stored").asInt()).isEqualTo(2);
        assertThat(again.json().path("duplicates").asInt()).isEqualTo(1);
        assertThat(post(pc, events(pc, afterReimage)).json().path("duplicates").asInt()).isEqualTo(1);
        assertThat(storedEvents(pc)).containsExactly("BitLocker-API 782", "BitLocker-API 782", "BitLocker-API 522");
    }

    @Test
    void anEventStoredUnderItsEarlierKeyIsStillADuplicateButTheSameNumberAtAnotherTimeIsNot() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        pc.escrowAll();
        long computerId = server.bean(ComputerRepository.class).computerId(name(pc)).orElseThrow();
        Instant at = Instant.parse("2026-06-01T09:30:00Z");
        // As the server stored device events before their key held the event ID and time.
        assertThat(server.bean(Disclosures.class).record(new RecoveryEvent(computerId, null, null, at, RecoveryEvent.DEVICE,
                "BitLocker-API", 782, null, null, null, null, null, null, "device:old", null, null, null,
                "device|" + name(pc) + "|BitLocker-API|record 5"))).isTrue();
        assertThat(server.bean(Disclosures.class).record(new RecoveryEvent(computerId, null, null, at, RecoveryEvent.DEVICE,
                "BitLocker-API", 522, null, null, null, null, null, null, "device:old", null, null, null,
                "device|" + name(pc) + "|BitLocker-API|522|" + at + "|" + c.id()))).isTrue();

        Response resent = post(pc, events(pc, event(c, at.toString(), "BitLocker-API", 782, 5),
                eventWithoutRecord(c, at.toString(), "BitLocker-API", 522)));
        Response reused = post(pc, events(pc, event(c, "2026-11-20T07:55:00Z", "BitLocker-API", 782, 5)));

        assertThat(resent.json().path("duplicates").asInt()).isEqualTo(2);
        assertThat(resent.json().path("stored").asInt()).isZero();
        assertThat(reused.json().path("stored").asInt()).isEqualTo(1);
    }

    @Test
    void theProvidersFullNamesAreReadAndAnyProtectorTypeMayHaveUnlocked() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId key = c.recoveryPasswordIds().get(0);
        pc.escrowAll();
        Map<String, Object> networkUnlock = event(c, "2026-11-20T07:40:00Z", "Microsoft-Windows-BitLocker/BitLocker Management", 782, 41);
        networkUnlock.put("unlockedBy", "TpmNetworkKey");
        networkUnlock.put("protectionMode", "TpmNetworkKey");
        Map<String, Object> bootChanged = event(c, "2026-11-20T07:45:00Z", "Microsoft-Windows-BitLocker-API", 522, 42);
        Map<String, Object> typed = event(c, "2026-11-20T07:50:00Z", "microsoft-windows-bitlocker-driver", 24652, 43);
        typed.put("recoveryPasswordId", key.toString());

        Response response = post(pc, events(pc, networkUnlock, bootChanged, typed));

        assertThat(response.json().path("stored").asInt()).isEqualTo(3);
        assertThat(response.json().path("ignored").asInt()).isZero();
        assertThat(storedEvents(pc)).containsExactly("BitLocker-API 782", "BitLocker-API 522", "BitLocker-Driver 24652");
        assertThat(server.jdbc().sql("SELECT unlocked_by || ' ' || protection_mode FROM recovery_event e JOIN computer k"
                + " ON k.id = e.computer_id WHERE k.name = :n AND e.event_id = 782").param("n", name(pc)).query(String.class)
                .single()).isEqualTo("TpmNetworkKey TpmNetworkKey");
        assertThat(status(key)).as("a recovery password typed, whatever the log's name").isEqualTo("disclosed");
        Response again = post(pc, events(pc, event(c, "2026-11-20T07:50:00Z", "BitLocker-Driver", 24652, 43)));
        assertThat(again.json().path("duplicates").asInt()).as("the same log, short or long").isEqualTo(1);
    }

    // -------------------------------------------------------------------------------------------

    static Map<String, Object> event(Volume volume, String time, String source, int eventId, long recordId) {
        Map<String, Object> event = eventWithoutRecord(volume, time, source, eventId);
        event.put("recordId", recordId);
        return event;
    }

    static Map<String, Object> eventWithoutRecord(Volume volume, String time, String source, int eventId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("volumeId", volume.id());
        event.put("time", time);
        event.put("source", source);
        event.put("eventId", eventId);
        return event;
    }

    @SafeVarargs
    static Map<String, Object> events(DeviceSimulator pc, Map<String, Object>... events) {
        return Map.of("computer", pc.computer(), "events", List.of(events));
    }

    Response post(DeviceSimulator pc, Map<String, Object> body) {
        return server.api().post("/api/v1/events", pc.token(), com.lockkeeper.testing.Escrows.json(body));
    }

    static String name(DeviceSimulator pc) {
        return pc.computer().split("\\.")[0];
    }

    List<String> storedEvents(DeviceSimulator pc) {
        return server.jdbc().sql("SELECT e.event_log || ' ' || e.event_id FROM recovery_event e JOIN computer k"
                + " ON k.id = e.computer_id WHERE k.name = :n ORDER BY e.id").param("n", name(pc)).query(String.class).list();
    }

    String status(ProtectorId id) {
        return server.jdbc().sql("SELECT status FROM recovery_key WHERE protector_id = :p").param("p", id.hex())
                .query(String.class).single();
    }
}
