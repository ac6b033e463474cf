package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.VolumeId;

/**
 * A device named a volume the server holds for another computer. Volumes do not follow whoever
 * reports them (that would hand one computer's keys to another); an administrator moves one.
 */
public final class VolumeOfAnotherComputerException extends RuntimeException {

    private final transient VolumeId volume;
    private final String reportedBy;

    /** @param reportedBy the computer (name) whose device reported the volume */
    public VolumeOfAnotherComputerException(VolumeId volume, String reportedBy) {
        super("volume " + volume + " belongs to another computer; nothing was changed. If the disk really moved to "
                + reportedBy + ", an administrator moves it with `lockkeeper device move-volume --volume " + volume + " --to "
                + reportedBy + "`");
        this.volume = volume;
        this.reportedBy = reportedBy;
    }

    public VolumeId volume() {
        return volume;
    }

    public String reportedBy() {
        return reportedBy;
    }
}
