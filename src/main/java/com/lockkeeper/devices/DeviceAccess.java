package com.lockkeeper.devices;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.VolumeOfAnotherComputerException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Who a call to escrow, check-in or events acts as. A device credential acts for its own
 * computer only; an enrollment token (an old client) acts as the computer's legacy device while
 * the computer has no credential-enrolled device and {@link DeviceSettings#enrollmentTokenAsDevice()}.
 */
public final class DeviceAccess {

    /** The device endpoints, as far as identity goes. */
    public enum Use { ESCROW, CHECKIN, EVENTS }

    private final Devices devices;
    private final ComputerRepository computers;
    private final DeviceSettings settings;
    private final AuditLog audit;

    DeviceAccess(Devices devices, ComputerRepository computers, DeviceSettings settings, AuditLog audit) {
        this.devices = devices;
        this.computers = computers;
        this.settings = settings;
        this.audit = audit;
    }

    /** A device credential's call for {@code computer}: only its own ({@link DeviceRefusedException#WRONG_COMPUTER} otherwise). */
    public DeviceCaller asDevice(DeviceIdentity device, ComputerName computer, Use use, String clientVersionHeader) {
        Actor actor = Actor.enrolledDevice(device.computer(), device.deviceId());
        if (!device.computer().equalsIgnoreCase(computer.name())) {
            audit.record(AuditEntry.refused(actor, AuditAction.DEVICE_REFUSED, "computer " + computer.name(),
                    use.name().toLowerCase(java.util.Locale.ROOT) + " refused: this device is enrolled for " + device.computer()));
            throw new DeviceRefusedException(DeviceRefusedException.WRONG_COMPUTER, "Not this device's computer",
                    "this device is enrolled for computer " + device.computer() + ", not " + computer.name()
                            + "; nothing was changed. A computer that was renamed enrolls again under its new name");
        }
        devices.seen(device.deviceId(), device.clientVersion(), device.lastSeenAt(),
                ClientVersion.ofHeader(clientVersionHeader).orElse(null));
        return new DeviceCaller(device.deviceId(), device.computer(),
                device.pending() ? DeviceCaller.Trust.PENDING : DeviceCaller.Trust.APPROVED, actor);
    }

    /**
     * An enrollment token's call for {@code computer} (an old client): the computer's legacy
     * device (enrolled now if it has none); for a computer with a credential-enrolled device, an
     * escrow is taken as from an unapproved device and anything else is refused
     * ({@link DeviceRefusedException#CREDENTIAL_REQUIRED}).
     */
    public DeviceCaller asEnrollmentToken(String tokenName, ComputerName computer, Use use, String clientVersionHeader) {
        Actor actor = Actor.device(tokenName);
        if (!settings.enrollmentTokenAsDevice()) {
            throw refused(actor, computer, use, "an enrollment token only enrolls devices on this server: the client enrolls"
                    + " with POST /api/v1/devices/enroll and calls with the device credential it gets");
        }
        String version = ClientVersion.ofHeader(clientVersionHeader).orElse(null);
        List<EnrolledDevice> known = devices.ofComputerNamed(computer.name());
        Optional<EnrolledDevice> legacy = known.stream().anyMatch(Devices::endsLegacy) ? Optional.empty()
                : known.stream().filter(d -> d.status() == DeviceStatus.LEGACY).findFirst()
                        .or(() -> devices.legacyDevice(computer, tokenName, version));
        if (legacy.isEmpty()) {
            if (use == Use.ESCROW) {
                return new DeviceCaller(null, computer.name(), DeviceCaller.Trust.UNAPPROVED_TOKEN, actor);
            }
            throw refused(actor, computer, use, "computer " + computer.name() + " has an enrolled device: it calls with its device"
                    + " credential, not the enrollment token (escrows sent with the token are stored, marked as from an"
                    + " unapproved device)");
        }
        EnrolledDevice device = legacy.get();
        devices.seen(device.id(), device.clientVersion(), device.lastSeenAt(), version);
        return new DeviceCaller(device.id(), computer.name(), DeviceCaller.Trust.LEGACY, actor);
    }

    /**
     * Refuses volumes held for another computer than {@code computer} (name): a device reports
     * and acts on its own computer's volumes only. Unknown volumes are fine.
     */
    public void requireOwnVolumes(String computer, Collection<VolumeId> volumes) {
        Map<UUID, String> owners = computers.volumeOwners(volumes.stream().map(VolumeId::uuid).toList());
        for (VolumeId volume : volumes) {
            String owner = owners.get(volume.uuid());
            if (owner != null && !owner.equals(computer)) {
                throw new VolumeOfAnotherComputerException(volume, computer);
            }
        }
    }

    private DeviceRefusedException refused(Actor actor, ComputerName computer, Use use, String detail) {
        audit.record(AuditEntry.refused(actor, AuditAction.DEVICE_REFUSED, "computer " + computer.name(),
                use.name().toLowerCase(java.util.Locale.ROOT) + " refused: a device credential is required"));
        return new DeviceRefusedException(DeviceRefusedException.CREDENTIAL_REQUIRED, "Device credential required", detail);
    }
}
