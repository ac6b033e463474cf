package com.lockkeeper.lifecycle;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.computers.KeyState;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.RecoveryKeyRepository;
import java.time.Clock;
import java.time.Instant;

/**
 * What follows when a recovery password leaves its owner's control, whoever read it: the key is
 * disclosed and its device is asked to rotate it. Runs in the caller's transaction, so a reveal
 * and its consequences commit together.
 */
public final class Disclosures {

    private final RecoveryKeyRepository keys;
    private final DeviceActionRepository actions;
    private final RecoveryEventRepository events;
    private final Clock clock;

    Disclosures(RecoveryKeyRepository keys, DeviceActionRepository actions, RecoveryEventRepository events, Clock clock) {
        this.keys = keys;
        this.actions = actions;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Marks the key disclosed (its first disclosure keeps its time) and puts a rotation on its
     * volume; a retired key is gone from the device, so there is nothing left to rotate.
     * True if a new rotation was scheduled.
     */
    public boolean disclose(KeyState key, String why, Actor actor) {
        if (key.status() == KeyStatus.RETIRED) {
            return false;
        }
        Instant now = clock.instant();
        keys.markDisclosed(key.id(), now);
        return actions.request(ActionKind.ROTATE, key.volumeRowId(), key.protectorId(), actor.toString(),
                "disclosed: " + why, null, now);
    }

    /** Adds a recovery to its computer's timeline; false if it was there already (same dedup key). */
    public boolean record(RecoveryEvent event) {
        return events.insert(event, clock.instant());
    }
}
