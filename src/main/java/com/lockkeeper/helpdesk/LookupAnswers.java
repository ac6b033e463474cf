package com.lockkeeper.helpdesk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.lockkeeper.computers.ComputerSummary;
import com.lockkeeper.computers.KeySummary;
import java.util.List;

/** The staff API's lookup answers, written by Jackson as they are (no intermediate maps). */
final class LookupAnswers {

    private LookupAnswers() {
    }

    /** {@code GET /api/v1/computers}: {@code exact} with the computer and its keys, or {@code candidates} without keys. */
    record Computers(String match, List<Computer> computers) {
    }

    /** {@code GET /api/v1/recovery-keys}. */
    record Keys(List<Key> keys) {
    }

    /** A computer; {@code keys} only in an exact match. */
    record Computer(String name, String domain, String fqdn, List<String> users,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Key> keys) {

        static Computer of(ComputerSummary computer, List<Key> keys) {
            return new Computer(computer.name(), computer.domain(), computer.fqdn(), computer.users(), keys);
        }
    }

    record Key(String recoveryPasswordId, String shortId, String computer, String volumeId, String volumeType,
            String driveLabel, String createdAt, String escrowedAt, String status, boolean hasKeyPackage,
            boolean differsFromDevice) {

        static Key of(KeySummary key) {
            return new Key(key.protectorId().toString(), key.shortId(), key.computerName(), key.volumeId().toString(),
                    key.volumeType(), key.driveLabel(), String.valueOf(key.createdAt()), String.valueOf(key.escrowedAt()),
                    key.statusLabel(), key.hasKeyPackage(), key.differsFromDevice());
        }
    }
}
