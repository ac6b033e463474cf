package com.lockkeeper.recovery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code lockkeeper.self-service.*}: how many keys one person may recover by themselves per window. */
@ConfigurationProperties("lockkeeper.self-service")
public record SelfServiceSettings(@DefaultValue("5") int maxReveals, @DefaultValue("24h") Duration window) {
}
