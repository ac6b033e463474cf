package com.lockkeeper.devices;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lockkeeper.devices.*}. {@code autoApproveReplacements}: a device enrolling for a
 * computer whose device has other hardware replaces it at once instead of waiting for an admin.
 * {@code enrollmentTokenAsDevice}: an old client's escrow, check-in and events with the enrollment
 * token itself still work (the computer gets a legacy device); false: enrollment tokens only enroll.
 */
@ConfigurationProperties("lockkeeper.devices")
public record DeviceSettings(@DefaultValue("false") boolean autoApproveReplacements,
        @DefaultValue("true") boolean enrollmentTokenAsDevice) {
}
