package com.lockkeeper.reports;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lockkeeper.compliance.*}: what the compliance reports ask of a volume.
 *
 * @param verifiedWithin a volume is compliant only when its device's check-in showed, this
 *        recently, that an escrowed active key is the password the device has (its verifier
 *        matched); a key never verified (a client that sends no verifiers) is not verified
 */
@ConfigurationProperties("lockkeeper.compliance")
public record ComplianceSettings(@DefaultValue("30d") Duration verifiedWithin) {

    public ComplianceSettings {
        if (verifiedWithin == null) {
            verifiedWithin = Duration.ofDays(30);
        }
        if (verifiedWithin.isNegative() || verifiedWithin.isZero()) {
            throw new IllegalArgumentException("lockkeeper.compliance.verified-within must be a positive duration, like 30d");
        }
    }

    /** The window as the reports' column headings say it: "30 days", "12 hours". */
    String window() {
        long days = verifiedWithin.toDays();
        if (verifiedWithin.equals(Duration.ofDays(days))) {
            return days == 1 ? "1 day" : days + " days";
        }
        long hours = verifiedWithin.toHours();
        return hours <= 1 ? verifiedWithin.toMinutes() + " minutes" : hours + " hours";
    }
}
