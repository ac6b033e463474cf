package com.lockkeeper.bitlocker;

import com.lockkeeper.support.InvalidValueException;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A volume GUID, shown lower case and dashed without braces. */
public final class VolumeId {

    private static final Pattern DEVICE_PATH =
            Pattern.compile("\\\\\\\\\\?\\\\Volume(\\{[^}]*})\\\\?", Pattern.CASE_INSENSITIVE);

    private final UUID uuid;

    private VolumeId(UUID uuid) {
        this.uuid = uuid;
    }

    /** A GUID with or without braces, any case, or a device path like \\?\Volume{GUID}\. */
    public static VolumeId parse(String text) {
        String guid = text == null ? null : text.strip();
        if (guid != null) {
            Matcher devicePath = DEVICE_PATH.matcher(guid);
            if (devicePath.matches()) {
                guid = devicePath.group(1);
            }
        }
        return Guids.hexDigits(guid, false)
                .map(hex -> new VolumeId(UUID.fromString(Guids.dashed(hex))))
                .orElseThrow(() -> new InvalidValueException(
                        "a volume GUID like 5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11 or \\\\?\\Volume{…}\\ was expected"));
    }

    /** A volume GUID as Active Directory stores it in msFVE-VolumeGuid: 16 bytes in Microsoft's GUID layout. */
    public static VolumeId fromMicrosoftBytes(byte[] bytes) {
        return new VolumeId(Guids.fromMicrosoftBytes(bytes));
    }

    public static VolumeId of(UUID uuid) {
        return new VolumeId(Objects.requireNonNull(uuid, "uuid"));
    }

    public UUID uuid() {
        return uuid;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VolumeId that && uuid.equals(that.uuid);
    }

    @Override
    public int hashCode() {
        return uuid.hashCode();
    }

    @Override
    public String toString() {
        return uuid.toString();
    }
}
