package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;

/** Where a recovery key is in its life, and whose it is; no secrets. */
public record KeyState(long id, ProtectorId protectorId, long volumeRowId, VolumeId volumeId, long computerId, KeyStatus status) {
}
