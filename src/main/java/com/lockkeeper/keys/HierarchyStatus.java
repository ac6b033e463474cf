package com.lockkeeper.keys;

import java.time.Instant;
import java.util.List;

/** The key hierarchy as stored, for `lockkeeper status`. Metadata only. */
public record HierarchyStatus(NodeState thisNode, Integer dmkVersion, Instant dmkCreatedAt, Long datakeyPrimaryKeyId,
        boolean datakeyPrivateHalfPresent, long sealEpochs, List<Registration> registrations) {

    public record Registration(String nodeName, int dmkVersion, Instant registeredAt, boolean current) {
    }
}
