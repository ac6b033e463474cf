package com.lockkeeper.backup;

import java.time.Instant;
import java.util.Optional;

/**
 * What opens a restored backup of this installation: the password of the DMK the backup holds,
 * or, if that password is lost, the last datakey export (with its own password) when it holds the
 * datakey's current primary version. Metadata only.
 */
public record RestoreNeeds(int dmkVersion, Instant dmkCreatedAt, long datakeyPrimaryKeyId,
        Optional<Instant> lastDatakeyExport, boolean lastExportHoldsPrimary) {

    /** The lines `lockkeeper backup` prints. */
    public String explanation() {
        StringBuilder text = new StringBuilder();
        text.append("The backup holds the database only: recovery passwords and keys sealed under the datakey, the datakey")
                .append(" wrapped by the DMK, the DMK wrapped by its password. This node's key and audit key are not in it.\n");
        text.append("To open a restore, keep with the backup (apart from it): the password of DMK version ").append(dmkVersion)
                .append(" (created ").append(dmkCreatedAt).append("), for `lockkeeper dmk register --password-file FILE` on the")
                .append(" restored node.\n");
        if (lastDatakeyExport.isPresent() && lastExportHoldsPrimary) {
            text.append("If that password is lost: the datakey export of ").append(lastDatakeyExport.get())
                    .append(" (primary key ").append(datakeyPrimaryKeyId).append(") and its password, for `lockkeeper dmk rotate")
                    .append(" --recreate --datakey-file FILE`.");
        } else if (lastDatakeyExport.isPresent()) {
            text.append("The last datakey export (").append(lastDatakeyExport.get()).append(") predates datakey primary key ")
                    .append(datakeyPrimaryKeyId).append(": it cannot stand in for the DMK password. Run `lockkeeper datakey export`")
                    .append(" if you want a second way in.");
        } else {
            text.append("There is no datakey export: without the DMK password a restore opens nothing. Run `lockkeeper")
                    .append(" datakey export` if you want a second way in.");
        }
        return text.toString();
    }
}
