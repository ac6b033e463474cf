package com.lockkeeper.devices;

import com.lockkeeper.support.InvalidValueException;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** A computer's SMBIOS system UUID (`Win32_ComputerSystemProduct.UUID`), as the client reports it. */
public final class HardwareId {

    private static final Pattern GUID =
            Pattern.compile("\\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}}?");

    private final UUID uuid;

    private HardwareId(UUID uuid) {
        this.uuid = uuid;
    }

    public static HardwareId parse(String text) {
        String guid = text == null ? "" : text.strip();
        if (!GUID.matcher(guid).matches() || guid.startsWith("{") != guid.endsWith("}")) {
            throw new InvalidValueException("the SMBIOS system UUID (Win32_ComputerSystemProduct.UUID) was expected, like"
                    + " 4C4C4544-0042-3510-8052-B4C04F4B4E32");
        }
        return new HardwareId(UUID.fromString(guid.replace("{", "").replace("}", "").toLowerCase(Locale.ROOT)));
    }

    public static HardwareId of(UUID uuid) {
        return new HardwareId(Objects.requireNonNull(uuid, "uuid"));
    }

    public UUID uuid() {
        return uuid;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HardwareId that && uuid.equals(that.uuid);
    }

    @Override
    public int hashCode() {
        return uuid.hashCode();
    }

    /** Upper case, as Windows shows it. */
    @Override
    public String toString() {
        return uuid.toString().toUpperCase(Locale.ROOT);
    }
}
