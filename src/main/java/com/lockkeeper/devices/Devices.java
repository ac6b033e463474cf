package com.lockkeeper.devices;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.support.BearerSecrets;
import com.lockkeeper.support.CredentialChanges;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Device identity: enrollment with an enrollment token, the credential each device gets, and the
 * admin's decisions (approve, reject, revoke, move a volume). A computer has at most one trusted
 * device (active or legacy); another device for it waits for an admin unless
 * {@link DeviceSettings#autoApproveReplacements()}. Every change of a device's trust is audited.
 */
public final class Devices {

    public static final String CREDENTIAL_PREFIX = "lkd_";
    /** How a device that a machine certificate enrolled is listed as enrolled by. */
    static final String MACHINE_CERTIFICATE = "machine certificate";
    /** A device's last call is recorded at most this often (and when its client version changes). */
    private static final long SEEN_EVERY_SECONDS = 60;

    private final DeviceRepository repository;
    private final ComputerRepository computers;
    private final RecoveryKeyRepository keys;
    private final DeviceSettings settings;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random;
    private final CredentialChanges changes;

    Devices(DeviceRepository repository, ComputerRepository computers, RecoveryKeyRepository keys, DeviceSettings settings,
            AuditLog audit, TransactionTemplate transactions, Clock clock, SecureRandom random, CredentialChanges changes) {
        this.repository = repository;
        this.computers = computers;
        this.keys = keys;
        this.settings = settings;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
        this.changes = changes;
    }

    /**
     * Enrolls the device of {@code computer} with hardware {@code hardwareId}, presented with the
     * enrollment token named {@code tokenName}; {@code clientVersion} may be null.
     */
    public Enrollment enroll(ComputerName computer, HardwareId hardwareId, String clientVersion, String tokenName) {
        String credential = BearerSecrets.generate(CREDENTIAL_PREFIX, random);
        byte[] hash = BearerSecrets.hash(credential);
        Actor actor = Actor.device(tokenName);
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            long computerId = computers.upsertComputer(computer, now);
            repository.lockComputer(computerId);
            List<EnrolledDevice> devices = repository.ofComputer(computerId);
            Optional<EnrolledDevice> trusted = devices.stream().filter(d -> d.status().trusted()).findFirst();
            Optional<EnrolledDevice> samePending = devices.stream()
                    .filter(d -> d.status() == DeviceStatus.PENDING && hardwareId.uuid().equals(d.hardwareId())).findFirst();
            String target = "computer " + computer.name();
            // A legacy device has no hardware ID and adopts the first one enrolled; a device a machine certificate enrolled
            // has none either, and a token enrollment never takes it over (it waits for an admin).
            boolean legacy = trusted.isPresent() && trusted.get().status() == DeviceStatus.LEGACY && trusted.get().hardwareId() == null;
            if (trusted.isPresent() && (legacy || hardwareId.uuid().equals(trusted.get().hardwareId()))) {
                EnrolledDevice device = trusted.get();
                boolean adopting = device.status() == DeviceStatus.LEGACY;
                changes.changed(); // the previous credential stops working
                repository.reissue(device.id(), hardwareId.uuid(), hash, DeviceStatus.ACTIVE, tokenName, clientVersion, now);
                audit.record(AuditEntry.success(actor, AuditAction.DEVICE_ENROLL, target + " device " + device.id(), adopting
                        ? "legacy device enrolled with hardware " + hardwareId + ": it now has a credential; the enrollment"
                                + " token no longer acts for this computer"
                        : "enrolled again with the same hardware " + hardwareId + " (a reimage): the previous credential no"
                                + " longer works"));
                return new Enrollment(Enrollment.Outcome.REENROLLED, device.id(), computer.name(), credential);
            }
            if (samePending.isPresent()) {
                long id = samePending.get().id();
                changes.changed();
                repository.reissue(id, hardwareId.uuid(), hash, DeviceStatus.PENDING, tokenName, clientVersion, now);
                audit.record(AuditEntry.success(actor, AuditAction.DEVICE_ENROLL, target + " device " + id,
                        "pending device enrolled again with hardware " + hardwareId + ": new credential, still pending approval"));
                return new Enrollment(Enrollment.Outcome.PENDING, id, computer.name(), credential);
            }
            boolean hadDevice = trusted.isPresent() || devices.stream().anyMatch(d -> d.status() == DeviceStatus.REVOKED);
            if (!hadDevice || settings.autoApproveReplacements()) {
                long id = repository.insert(computerId, hardwareId.uuid(), hash, DeviceStatus.ACTIVE, tokenName, clientVersion, now);
                String replaced = "";
                if (trusted.isPresent()) {
                    changes.changed();
                    repository.decide(trusted.get().id(), trusted.get().status(), DeviceStatus.REPLACED, actor.toString(), id, now);
                    replaced = "; replaces device " + trusted.get().id() + " (hardware " + hardware(trusted.get())
                            + "), approved automatically (lockkeeper.devices.auto-approve-replacements)";
                }
                audit.record(AuditEntry.success(actor, AuditAction.DEVICE_ENROLL, target + " device " + id,
                        "enrolled with hardware " + hardwareId + replaced));
                return new Enrollment(Enrollment.Outcome.ENROLLED, id, computer.name(), credential);
            }
            long id = repository.insert(computerId, hardwareId.uuid(), hash, DeviceStatus.PENDING, tokenName, clientVersion, now);
            audit.record(AuditEntry.success(actor, AuditAction.DEVICE_ENROLL, target + " device " + id,
                    "pending: the computer " + (trusted.isPresent() ? "has device " + trusted.get().id() + " with hardware "
                            + hardware(trusted.get()) : "had its device revoked") + "; this one (hardware " + hardwareId
                            + ") waits for `lockkeeper device approve " + id + "`"));
            return new Enrollment(Enrollment.Outcome.PENDING, id, computer.name(), credential);
        });
    }

    /** The device holding this credential, if it may call: active or pending. */
    public Optional<DeviceIdentity> authenticate(String credential) {
        if (credential == null || !credential.startsWith(CREDENTIAL_PREFIX) || credential.length() > BearerSecrets.MAX_LENGTH) {
            return Optional.empty();
        }
        return repository.byCredentialHash(BearerSecrets.hash(credential)).filter(device -> device.status().credentialWorks());
    }

    /**
     * Whether a node may remember this device's authentication for a moment: an active device
     * that was seen within the last minute. A pending one is looked up on each call (an approval
     * changes how its escrows are stored), and one not seen for a minute too (so that recording
     * the call, {@link #seen}, sees its new last-seen time on the next).
     */
    public boolean cacheable(DeviceIdentity device) {
        return device.status() == DeviceStatus.ACTIVE && device.lastSeenAt() != null
                && device.lastSeenAt().isAfter(clock.instant().minusSeconds(SEEN_EVERY_SECONDS - 5));
    }

    /**
     * The device of the computer a verified machine certificate names ({@code dnsName}, its DNS
     * name): the organisation's CA vouches for the computer, so the certificate acts as the
     * computer's active device, which is enrolled now if the computer has none (audited).
     * Empty when the name is not a computer name.
     */
    public Optional<DeviceIdentity> byMachineCertificate(String dnsName, String issuer) {
        ComputerName computer;
        try {
            computer = ComputerName.parse(dnsName);
        } catch (RuntimeException notAComputerName) {
            return Optional.empty();
        }
        Optional<DeviceIdentity> active = repository.activeOfComputerNamed(computer.name());
        if (active.isPresent()) {
            return active;
        }
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            long computerId = computers.upsertComputer(computer, now);
            repository.lockComputer(computerId);
            Optional<DeviceIdentity> enrolledMeanwhile = repository.activeOfComputerNamed(computer.name());
            if (enrolledMeanwhile.isPresent()) {
                return enrolledMeanwhile;
            }
            long id = repository.insert(computerId, null, null, DeviceStatus.ACTIVE, MACHINE_CERTIFICATE, null, now);
            audit.record(AuditEntry.success(Actor.enrolledDevice(computer.name(), id), AuditAction.DEVICE_ENROLL,
                    "computer " + computer.name() + " device " + id, "enrolled by its machine certificate for " + dnsName
                            + " (issued by " + issuer + "); the enrollment token no longer acts for this computer"));
            return repository.activeOfComputerNamed(computer.name());
        });
    }

    /** Every device, pending ones first (or only those). */
    public List<EnrolledDevice> list(boolean pendingOnly) {
        return repository.all(pendingOnly);
    }

    /**
     * Approves a pending device: it becomes its computer's trusted device, the device it replaces
     * stops working, and the keys it escrowed while pending are no longer marked.
     */
    public EnrolledDevice approve(long id, Actor actor) {
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            EnrolledDevice device = pending(id, "approve");
            changes.changed(); // the device it replaces stops working
            repository.lockComputer(device.computerId());
            Optional<EnrolledDevice> replaced = repository.ofComputer(device.computerId()).stream()
                    .filter(d -> d.status().trusted()).findFirst();
            replaced.ifPresent(old -> repository.decide(old.id(), old.status(), DeviceStatus.REPLACED, actor.toString(), id, now));
            if (!repository.decide(id, DeviceStatus.PENDING, DeviceStatus.ACTIVE, actor.toString(), null, now)) {
                throw new IllegalArgumentException("device " + id + " was decided meanwhile: see `lockkeeper device list`");
            }
            int approvedKeys = keys.approveKeysOf(id);
            audit.record(AuditEntry.success(actor, AuditAction.DEVICE_APPROVE, target(device), "approved (hardware " + hardware(device)
                    + ")" + replaced.map(old -> "; replaces device " + old.id() + " (" + old.status() + ", hardware "
                    + hardware(old) + "), whose credential no longer works").orElse("")
                    + (approvedKeys > 0 ? "; " + approvedKeys + " key(s) it escrowed while pending are no longer marked" : "")));
            return repository.byId(id).orElseThrow();
        });
    }

    /** Rejects a pending device: its credential stops working; the keys it escrowed stay, marked. */
    public EnrolledDevice reject(long id, Actor actor) {
        return decide(pending(id, "reject"), DeviceStatus.REJECTED, AuditAction.DEVICE_REJECT, actor,
                "rejected; the keys it escrowed stay stored, marked as from an unapproved device");
    }

    /**
     * Revokes a device: its credential stops working, and the enrollment token no longer acts for
     * its computer; the computer's next enrollment waits for an admin.
     */
    public EnrolledDevice revoke(long id, Actor actor) {
        EnrolledDevice device = repository.byId(id).orElseThrow(() -> unknown(id));
        if (!device.revocable()) {
            throw new IllegalArgumentException("device " + id + " is " + device.status() + " already: nothing to revoke");
        }
        return decide(device, DeviceStatus.REVOKED, AuditAction.DEVICE_REVOKE, actor,
                "revoked (was " + device.status() + "); its credential no longer works, and the computer's next enrollment"
                        + " waits for approval");
    }

    /**
     * Moves a volume to another computer, when a disk really moved: from then on that
     * computer's device reports and escrows it. The volume's keys and pending actions go with it.
     */
    public String moveVolume(String volumeText, String computerName, Actor actor) {
        VolumeId volume;
        ComputerName to;
        try {
            volume = VolumeId.parse(volumeText);
            to = ComputerName.parse(computerName);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return transactions.execute(tx -> {
            long computerId = computers.computerId(to.name()).orElseThrow(() -> new IllegalArgumentException("there is no computer "
                    + to.name() + ": it appears when its device enrolls or escrows"));
            Optional<String> owner = computers.volumeOwners(List.of(volume.uuid())).values().stream().findFirst();
            if (owner.isEmpty()) {
                throw new IllegalArgumentException("there is no volume " + volume + ": it appears when a device escrows it");
            }
            if (owner.get().equals(to.name())) {
                throw new IllegalArgumentException("volume " + volume + " belongs to " + to.name() + " already");
            }
            computers.moveVolume(volume, computerId, clock.instant());
            audit.record(AuditEntry.success(actor, AuditAction.VOLUME_MOVE, "volume " + volume,
                    "moved from computer " + owner.get() + " to computer " + to.name() + ", with its keys"));
            return owner.get();
        });
    }

    /** Records that the device called, with its client version: only when that changed or a minute passed. */
    void seen(long deviceId, String storedVersion, Instant lastSeenAt, String clientVersion) {
        Instant now = clock.instant();
        boolean versionChanged = clientVersion != null && !clientVersion.equals(storedVersion);
        if (versionChanged || lastSeenAt == null || lastSeenAt.isBefore(now.minusSeconds(SEEN_EVERY_SECONDS))) {
            repository.seen(deviceId, clientVersion, now);
        }
    }

    /** The devices of the computer with this name (upper case). */
    List<EnrolledDevice> ofComputerNamed(String name) {
        return repository.ofComputerNamed(name);
    }

    /**
     * The legacy device of {@code computer}, created if the computer has no device yet: an old
     * client's enrollment token acts as the computer's device. Answers empty if the computer has
     * a credential-enrolled or revoked device meanwhile.
     */
    Optional<EnrolledDevice> legacyDevice(ComputerName computer, String tokenName, String clientVersion) {
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            long computerId = computers.upsertComputer(computer, now);
            repository.lockComputer(computerId);
            List<EnrolledDevice> devices = repository.ofComputer(computerId);
            if (devices.stream().anyMatch(Devices::endsLegacy)) {
                return Optional.empty();
            }
            Optional<EnrolledDevice> legacy = devices.stream().filter(d -> d.status() == DeviceStatus.LEGACY).findFirst();
            if (legacy.isPresent()) {
                return legacy;
            }
            long id = repository.insert(computerId, null, null, DeviceStatus.LEGACY, tokenName, clientVersion, now);
            audit.record(AuditEntry.success(Actor.device(tokenName), AuditAction.DEVICE_ENROLL,
                    "computer " + computer.name() + " device " + id, "legacy device: an old client called with the enrollment"
                            + " token itself, which acts as this computer's device until a device enrolls with a credential"));
            return repository.byId(id);
        });
    }

    /** A device of a computer in this status means the enrollment token no longer acts as the computer's device. */
    static boolean endsLegacy(EnrolledDevice device) {
        return device.status() == DeviceStatus.ACTIVE || device.status() == DeviceStatus.REVOKED;
    }

    private EnrolledDevice decide(EnrolledDevice device, DeviceStatus to, AuditAction action, Actor actor, String detail) {
        return transactions.execute(tx -> {
            changes.changed();
            if (!repository.decide(device.id(), device.status(), to, actor.toString(), null, clock.instant())) {
                throw new IllegalArgumentException("device " + device.id() + " was decided meanwhile: see `lockkeeper device list`");
            }
            audit.record(AuditEntry.success(actor, action, target(device), detail));
            return repository.byId(device.id()).orElseThrow();
        });
    }

    private EnrolledDevice pending(long id, String verb) {
        EnrolledDevice device = repository.byId(id).orElseThrow(() -> unknown(id));
        if (!device.pending()) {
            throw new IllegalArgumentException("device " + id + " is " + device.status() + ", not pending: only a pending device"
                    + " can be " + (verb.equals("approve") ? "approved" : "rejected"));
        }
        return device;
    }

    private static IllegalArgumentException unknown(long id) {
        return new IllegalArgumentException("there is no device " + id + ": see `lockkeeper device list`");
    }

    private static String target(EnrolledDevice device) {
        return "computer " + device.computer() + " device " + device.id();
    }

    private static String hardware(EnrolledDevice device) {
        UUID id = device.hardwareId();
        return id == null ? "not reported" : HardwareId.of(id).toString();
    }
}
