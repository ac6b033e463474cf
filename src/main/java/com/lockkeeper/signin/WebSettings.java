package com.lockkeeper.signin;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The web sign-in's settings. {@code sessionTimeout} is applied through
 * {@code server.servlet.session.timeout} (see application.properties), so it holds for
 * in-memory and JDBC sessions alike.
 */
@ConfigurationProperties("lockkeeper.web")
public record WebSettings(@DefaultValue("15m") Duration sessionTimeout, @DefaultValue Throttle signinThrottle) {

    /**
     * After {@code maxFailures} failed sign-ins for one user name, or {@code maxFailuresPerAddress}
     * from one client address, within {@code window}, further attempts are refused until the
     * oldest of those failures is older than the window.
     */
    public record Throttle(@DefaultValue("5") int maxFailures, @DefaultValue("20") int maxFailuresPerAddress,
            @DefaultValue("15m") Duration window) {
    }
}
