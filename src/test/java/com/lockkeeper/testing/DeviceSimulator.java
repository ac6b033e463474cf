package com.lockkeeper.testing;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.keys.RecoveryPasswordVerifier;
import com.lockkeeper.testing.ApiClient.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Windows computer as the Lockkeeper client drives it, over real HTTP: volumes with their
 * recovery password protectors, escrow, check-in, and the actions the server answers (rotate:
 * add a protector, escrow it, remove the old one; escrow: send a protector never escrowed, or
 * whose escrowed password differs from the device's), and recovery events from its logs. Its
 * check-ins carry a verifier per recovery password protector, as the client computes it, unless
 * it plays an old client. What the PowerShell client does with BitLocker cmdlets,
 * this does with its own maps. Once {@link #enroll enrolled} it calls with its device credential
 * (and its client version); before, with the enrollment token itself, as an old client does.
 */
public final class DeviceSimulator {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An action as the server answered it; {@code reason} null when the answer gives none. */
    public record Action(String type, String volumeId, ProtectorId recoveryPasswordId, String reason) {

        public Action(String type, String volumeId, ProtectorId recoveryPasswordId) {
            this(type, volumeId, recoveryPasswordId, null);
        }
    }

    /** An encrypted volume: its ID, type and its recovery password protectors (ID → password), oldest first. */
    public static final class Volume {
        private final String id;
        private final String type;
        private final Map<ProtectorId, RecoveryPassword> recoveryPasswords = new LinkedHashMap<>();
        private final List<String> otherProtectors;

        Volume(String type, List<String> otherProtectors) {
            this(UUID.randomUUID().toString(), type, otherProtectors);
        }

        Volume(String id, String type, List<String> otherProtectors) {
            this.id = id;
            this.type = type;
            this.otherProtectors = otherProtectors;
        }

        public String id() {
            return id;
        }

        public List<ProtectorId> recoveryPasswordIds() {
            return List.copyOf(recoveryPasswords.keySet());
        }

        public RecoveryPassword password(ProtectorId id) {
            return recoveryPasswords.get(id);
        }
    }

    /** The version this simulated client says it is. */
    public static final String CLIENT_VERSION = "2.0.0-test";

    private final ApiClient api;
    private final String token;
    private final String computer;
    private String hardwareId = UUID.randomUUID().toString().toUpperCase();
    private String credential;
    private List<String> users = List.of("CORP\\alice");
    private final List<Volume> volumes = new ArrayList<>();
    private final List<ProtectorId> escrowed = new ArrayList<>();
    private boolean followsRotations = true;
    private boolean sendsVerifiers = true;

    public DeviceSimulator(ApiClient api, String token, String computer) {
        this.api = api;
        this.token = token;
        this.computer = computer;
    }

    public String computer() {
        return computer;
    }

    /** What it calls the server with: its device credential once enrolled, the enrollment token before. */
    public String token() {
        return credential != null ? credential : token;
    }

    /** This computer's SMBIOS system UUID, as it enrolls with it. */
    public String hardwareId() {
        return hardwareId;
    }

    /** The same computer on other hardware (a replaced mainboard, or another machine claiming its name). */
    public DeviceSimulator withHardwareId(String hardwareId) {
        this.hardwareId = hardwareId;
        return this;
    }

    /** The users its escrows report (CORP\alice unless said otherwise). */
    public DeviceSimulator withUsers(String... accounts) {
        this.users = List.of(accounts);
        return this;
    }

    /** The device credential it got when it enrolled, or null. */
    public String credential() {
        return credential;
    }

    /** Calls with this credential from now on (an old one, or one that was revoked). */
    public DeviceSimulator withCredential(String credential) {
        this.credential = credential;
        return this;
    }

    /** `POST /api/v1/devices/enroll` with the enrollment token; a credential answered is used from then on. */
    public Response enroll() {
        String body = JSON.writeValueAsString(Map.of("computer", computer, "hardwareId", hardwareId, "clientVersion",
                CLIENT_VERSION));
        Response response = api.post("/api/v1/devices/enroll", token, body);
        if (response.status() == 200 || response.status() == 201 || response.status() == 202) {
            credential = response.json().path("credential").asString();
        }
        return response;
    }

    /** Enrolls; the enrollment must be answered 201 (a new device). */
    public DeviceSimulator enrolled() {
        Response response = enroll();
        if (response.status() != 201) {
            throw new IllegalStateException("enrollment answered " + response.status() + ": " + response.body());
        }
        return this;
    }

    private Response post(String path, String body) {
        if (credential == null) {
            return api.post(path, token, body);
        }
        return api.post(path, credential, body, Map.of("Lockkeeper-Client-Version", CLIENT_VERSION));
    }

    public List<Volume> volumes() {
        return List.copyOf(volumes);
    }

    /** Encrypts a new volume with a TPM protector and one recovery password protector (not escrowed yet). */
    public Volume addVolume(String volumeType) {
        return addVolume(UUID.randomUUID().toString(), volumeType);
    }

    /** A volume with this GUID (a disk moved from another computer), with a new recovery password protector. */
    public Volume addVolume(String volumeId, String volumeType) {
        Volume volume = new Volume(volumeId, volumeType, "OperatingSystem".equals(volumeType) ? List.of("Tpm") : List.of());
        volumes.add(volume);
        addProtector(volume);
        return volume;
    }

    /**
     * A volume encrypted before this client ran, whose recovery password protector is known elsewhere (say,
     * backed up to Active Directory): its BitLocker volume GUID and the protector, not escrowed by this client yet.
     */
    public Volume addExistingVolume(String volumeId, String volumeType, ProtectorId id, RecoveryPassword password) {
        Volume volume = new Volume(volumeId, volumeType, "OperatingSystem".equals(volumeType) ? List.of("Tpm") : List.of());
        volume.recoveryPasswords.put(id, password);
        volumes.add(volume);
        return volume;
    }

    /** `Add-BitLockerKeyProtector -RecoveryPasswordProtector`: a new protector, not escrowed. */
    public ProtectorId addProtector(Volume volume) {
        ProtectorId id = ProtectorId.parse(Escrows.newGuid());
        volume.recoveryPasswords.put(id, Escrows.newPassword());
        return id;
    }

    /** `Remove-BitLockerKeyProtector`. */
    public void removeProtector(Volume volume, ProtectorId id) {
        volume.recoveryPasswords.remove(id);
    }

    /** A device that checks in but never carries out a rotation (an old client, a broken script). */
    public DeviceSimulator ignoringRotations() {
        followsRotations = false;
        return this;
    }

    /** A client that sends no verifiers at check-in (one older than them). */
    public DeviceSimulator withoutVerifiers() {
        sendsVerifiers = false;
        return this;
    }

    /**
     * The protector's password on the device is now another than the one escrowed (as when the
     * server holds a copy imported from a stale backup): the same ID, another password.
     */
    public RecoveryPassword changePasswordOnDevice(Volume volume, ProtectorId id) {
        RecoveryPassword other = Escrows.newPassword();
        volume.recoveryPasswords.replace(id, other);
        return other;
    }

    /** The verifier of a protector as the client computes it (lower-case hex). */
    public static String verifier(Volume volume, ProtectorId id) {
        return RecoveryPasswordVerifier.hex(volume.password(id), id, VolumeId.parse(volume.id));
    }

    /** Escrows every protector not escrowed yet; answers the statuses. */
    public List<Integer> escrowAll() {
        List<Integer> statuses = new ArrayList<>();
        for (Volume volume : volumes) {
            for (ProtectorId id : volume.recoveryPasswordIds()) {
                if (!escrowed.contains(id)) {
                    statuses.add(escrow(volume, id).status());
                }
            }
        }
        return statuses;
    }

    public Response escrow(Volume volume, ProtectorId id) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("computer", computer);
        body.put("volumeId", volume.id);
        body.put("volumeType", volume.type);
        body.put("driveLabel", computer.split("\\.")[0] + " " + driveLetter(volume) + " 11/23/2026");
        body.put("recoveryPasswordId", id.toString());
        body.put("recoveryPassword", volume.password(id).reveal());
        body.put("users", users);
        Response response = post("/api/v1/escrow", JSON.writeValueAsString(body));
        if (response.status() == 200 || response.status() == 201) {
            escrowed.add(id);
        }
        return response;
    }

    /** The check-in body, as the PowerShell client builds it from Get-BitLockerVolume. */
    public String checkinJson() {
        List<Map<String, Object>> reported = new ArrayList<>();
        for (Volume volume : volumes) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("volumeId", volume.id);
            json.put("volumeType", volume.type);
            json.put("driveLabel", computer.split("\\.")[0] + " " + driveLetter(volume) + " 11/23/2026");
            json.put("protectionStatus", "On");
            json.put("encryptionMethod", "XtsAes256");
            List<String> types = new ArrayList<>(volume.otherProtectors);
            if (!volume.recoveryPasswords.isEmpty()) {
                types.add("RecoveryPassword");
            }
            json.put("keyProtectors", types);
            json.put("recoveryPasswordIds", volume.recoveryPasswordIds().stream().map(ProtectorId::toString).toList());
            if (sendsVerifiers) {
                json.put("recoveryPasswordVerifiers", volume.recoveryPasswordIds().stream().map(id -> Map.of(
                        "recoveryPasswordId", id.toString(), "verifier", verifier(volume, id))).toList());
            }
            reported.add(json);
        }
        return JSON.writeValueAsString(Map.of("computer", computer, "volumes", reported));
    }

    /** Checks in; the answer as it is. */
    public Response checkinResponse() {
        return post("/api/v1/checkin", checkinJson());
    }

    /** Checks in and answers the server's actions (the response must be 200). */
    public List<Action> checkin() {
        Response response = checkinResponse();
        if (response.status() != 200) {
            throw new IllegalStateException("check-in answered " + response.status() + ": " + response.body());
        }
        List<Action> actions = new ArrayList<>();
        for (JsonNode action : response.json().path("actions")) {
            actions.add(new Action(action.path("type").asString(), action.path("volumeId").asString(),
                    ProtectorId.parse(action.path("recoveryPasswordId").asString()),
                    action.hasNonNull("reason") ? action.path("reason").asString() : null));
        }
        return actions;
    }

    /**
     * Carries the actions out as the client does: rotate adds a protector, escrows it and only
     * when the server stored it removes the old one; escrow sends the protector.
     */
    public void follow(List<Action> actions) {
        for (Action action : actions) {
            Volume volume = volumes.stream().filter(v -> v.id.equalsIgnoreCase(action.volumeId())).findFirst().orElse(null);
            if (volume == null || volume.password(action.recoveryPasswordId()) == null) {
                continue;
            }
            if ("escrow".equals(action.type())) {
                escrow(volume, action.recoveryPasswordId());
            } else if ("rotate".equals(action.type()) && followsRotations) {
                ProtectorId fresh = addProtector(volume);
                int status = escrow(volume, fresh).status();
                if (status == 200 || status == 201) {
                    removeProtector(volume, action.recoveryPasswordId());
                }
            }
        }
    }

    /** One run of the scheduled task: check in, carry out what was asked; answers what was asked. */
    public List<Action> run() {
        List<Action> actions = checkin();
        follow(actions);
        return actions;
    }

    /** A BitLocker-Driver 24652: the recovery password {@code id} was typed at the recovery screen. */
    public Response recoveryPasswordUsed(Volume volume, ProtectorId id, Instant at, long recordId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("volumeId", volume.id);
        event.put("time", at.toString());
        event.put("source", "BitLocker-Driver");
        event.put("eventId", 24652);
        event.put("recordId", recordId);
        event.put("recoveryPasswordId", id.toString());
        event.put("unlockedBy", "RecoveryPassword");
        event.put("recoveryReason", "Boot configuration data changed");
        event.put("protectionMode", "Tpm");
        event.put("pcrProfile", "7,11");
        event.put("firmwareVersion", "1.14.0");
        return reportEvents(List.of(event));
    }

    public Response reportEvents(List<Map<String, Object>> events) {
        return post("/api/v1/events", JSON.writeValueAsString(Map.of("computer", computer, "events", events)));
    }

    private String driveLetter(Volume volume) {
        return (char) ('C' + volumes.indexOf(volume)) + ":";
    }
}
