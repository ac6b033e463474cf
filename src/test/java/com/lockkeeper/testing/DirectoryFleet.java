package com.lockkeeper.testing;

import com.lockkeeper.bitlocker.Guids;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A fleet of computers with BitLocker recovery objects in a {@link TestDomainController}, as Group
 * Policy's backup to AD DS leaves them: computer {@code PC-000042} ({@code pc-000042.corp.example.com})
 * under OU=Workstations, each with {@code keysPerComputer} msFVE-RecoveryInformation children named
 * {@code <creation time>{<password ID>}}, on two volumes (C: and D:), every third with a key package.
 * Every value is computed from the key's number, so a test can check any key without keeping them all.
 */
public final class DirectoryFleet {

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
    private static final ZoneOffset PACIFIC = ZoneOffset.ofHours(-8);
    private static final OffsetDateTime FIRST = OffsetDateTime.of(2026, 1, 5, 9, 0, 0, 0, PACIFIC);
    private static final int CHUNK = 20_000;

    private final int keysPerComputer;

    public DirectoryFleet(int keysPerComputer) {
        this.keysPerComputer = keysPerComputer;
    }

    /** One recovery object of the fleet. */
    public record Key(int index, String computer, String computerDn, String dn, ProtectorId id, VolumeId volume,
            RecoveryPassword password, byte[] keyPackage, Instant created, String name) {
    }

    public static String computerName(int computer) {
        return String.format(Locale.ROOT, "PC-%06d", computer);
    }

    public static String computerDn(int computer) {
        return "CN=" + computerName(computer) + "," + TestDomainController.COMPUTERS;
    }

    public static String dnsHostName(int computer) {
        return computerName(computer).toLowerCase(Locale.ROOT) + ".corp.example.com";
    }

    public Key key(int index) {
        int computer = index / keysPerComputer;
        SplittableRandom random = new SplittableRandom(0x4C4B_0000_0000_0000L ^ (index * 0x9E3779B97F4A7C15L));
        UUID id = new UUID(random.nextLong(), random.nextLong());
        byte[] keyBytes = new byte[RecoveryPassword.KEY_LENGTH];
        random.nextBytes(keyBytes);
        int volumeNumber = index % keysPerComputer % 2;
        SplittableRandom volumeRandom = new SplittableRandom(0x766F_6C00_0000_0000L ^ (computer * 31L + volumeNumber));
        UUID volume = new UUID(volumeRandom.nextLong(), volumeRandom.nextLong());
        byte[] keyPackage = null;
        if (index % 3 == 0) {
            keyPackage = new byte[96 + random.nextInt(64)];
            random.nextBytes(keyPackage);
        }
        OffsetDateTime created = FIRST.plusMinutes(index);
        String name = NAME_TIME.format(created) + ProtectorId.parse(id.toString());
        return new Key(index, computerName(computer), computerDn(computer), "CN=" + name + "," + computerDn(computer),
                ProtectorId.parse(id.toString()), VolumeId.of(volume), RecoveryPassword.fromKeyBytes(keyBytes), keyPackage,
                created.toInstant(), name);
    }

    /** The recovery object of {@code key}, as AD stores it (binary GUIDs in Microsoft's byte order). */
    public Entry entry(Key key, long usn) {
        return recoveryObject(key.computerDn(), key.name(), key.id(), key.volume(), key.password(), key.keyPackage(), usn);
    }

    /** A recovery object named {@code name} ({@code <creation time>{<password ID>}}) under the computer {@code computerDn}. */
    public static Entry recoveryObject(String computerDn, String name, ProtectorId id, VolumeId volume, RecoveryPassword password,
            byte[] keyPackage, long usn) {
        String dn = "CN=" + name + "," + computerDn;
        List<Attribute> attributes = new ArrayList<>(List.of(
                new Attribute("objectClass", "top", "msFVE-RecoveryInformation"),
                new Attribute("cn", name),
                new Attribute("distinguishedName", dn),
                new Attribute("msFVE-RecoveryPassword", password.reveal()),
                new Attribute("msFVE-RecoveryGuid", Guids.toMicrosoftBytes(guid(id))),
                new Attribute("msFVE-VolumeGuid", Guids.toMicrosoftBytes(volume.uuid())),
                new Attribute("uSNCreated", Long.toString(usn)),
                new Attribute("uSNChanged", Long.toString(usn))));
        if (keyPackage != null) {
            attributes.add(new Attribute("msFVE-KeyPackage", keyPackage));
        }
        return new Entry(dn, attributes);
    }

    public static Entry computer(int computer, long usn) {
        return new Entry(computerDn(computer),
                new Attribute("objectClass", "top", "computer"),
                new Attribute("cn", computerName(computer)),
                new Attribute("distinguishedName", computerDn(computer)),
                new Attribute("sAMAccountName", computerName(computer) + "$"),
                new Attribute("dNSHostName", dnsHostName(computer)),
                new Attribute("uSNCreated", Long.toString(usn)),
                new Attribute("uSNChanged", Long.toString(usn)));
    }

    /** Adds computers {@code from} (inclusive) to {@code to} (exclusive) with their recovery objects. */
    public void populate(TestDomainController dc, int from, int to) {
        List<Entry> chunk = new ArrayList<>(CHUNK + keysPerComputer + 1);
        for (int computer = from; computer < to; computer++) {
            chunk.add(computer(computer, dc.nextUsn()));
            for (int k = 0; k < keysPerComputer; k++) {
                chunk.add(entry(key(computer * keysPerComputer + k), dc.nextUsn()));
            }
            if (chunk.size() >= CHUNK) {
                dc.add(chunk);
                chunk.clear();
            }
        }
        dc.add(chunk);
    }

    public int keysPerComputer() {
        return keysPerComputer;
    }

    public static UUID guid(ProtectorId id) {
        String hex = id.hex();
        return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20));
    }
}
