package com.lockkeeper.escrow;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.ReportedTime;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.http.FieldChecks;
import com.lockkeeper.http.JsonBodies;
import com.lockkeeper.http.JsonBody;
import com.lockkeeper.support.InvalidValueException;
import com.lockkeeper.support.ReadableText;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One escrow as JSON, the body of {@code POST /api/v1/escrow} and a line of an import file: the
 * values as sent, checked into an {@link EscrowCommand}. Holds a recovery password.
 */
public record EscrowRequest(String computer, String volumeId, String volumeType, String driveLabel, String recoveryPasswordId,
        String recoveryPassword, String keyPackage, List<String> users, String createdAt) {

    static final int MAX_KEY_PACKAGE_BYTES = 16 * 1024;
    static final int MAX_USERS = 64;
    static final int MAX_ACCOUNT_LENGTH = 256;

    /** One escrow's JSON checked, as the import reads each line. */
    static EscrowCommand command(byte[] json, Clock clock) {
        JsonBody<EscrowRequest> body = JsonBodies.read(json, EscrowRequest.class);
        return body.value().command(body.checks(), clock);
    }

    /** The escrow in domain values; every problem, with those {@code checks} hold already, is thrown at once. */
    public EscrowCommand command(FieldChecks checks, Clock clock) {
        ComputerName computerName = checks.required("computer", computer, ComputerName::parse);
        VolumeId volume = checks.required("volumeId", volumeId, VolumeId::parse);
        VolumeType type = checks.required("volumeType", volumeType, VolumeType::parse);
        DriveLabel label = checks.optional("driveLabel", driveLabel, DriveLabel::of);
        ProtectorId protectorId = checks.required("recoveryPasswordId", recoveryPasswordId, ProtectorId::parse);
        RecoveryPassword password = checks.required("recoveryPassword", recoveryPassword, RecoveryPassword::parse);
        byte[] keyPackageBytes = checks.optional("keyPackage", keyPackage, EscrowRequest::keyPackage);
        Instant created = checks.optional("createdAt", createdAt, text -> ReportedTime.parse(text, clock));
        List<String> accounts = accounts(checks);
        checks.throwIfAny();
        return new EscrowCommand(computerName, volume, type, label, protectorId, password, keyPackageBytes, accounts, created);
    }

    /** The associated users, each once whatever its case. */
    private List<String> accounts(FieldChecks checks) {
        List<String> accounts = new ArrayList<>();
        for (String account : checks.strings("users", checks.array("users", users, MAX_USERS), EscrowRequest::account)) {
            if (accounts.stream().noneMatch(account::equalsIgnoreCase)) {
                accounts.add(account);
            }
        }
        return accounts;
    }

    private static String account(String text) {
        if (text.isBlank() || text.length() > MAX_ACCOUNT_LENGTH) {
            throw new InvalidValueException("must be an account name of 1 to " + MAX_ACCOUNT_LENGTH
                    + " characters, like CORP\\alice or alice@corp.example.com");
        }
        return ReadableText.require(text.trim(), "an account name");
    }

    private static byte[] keyPackage(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("is not valid base64");
        }
        if (bytes.length == 0) {
            throw new InvalidValueException("is empty; leave the field out when there is no key package");
        }
        if (bytes.length > MAX_KEY_PACKAGE_BYTES) {
            throw new InvalidValueException("is larger than " + MAX_KEY_PACKAGE_BYTES + " bytes");
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "EscrowRequest[computer " + computer + ", volume " + volumeId + ", " + recoveryPasswordId + ", secrets redacted]";
    }
}
