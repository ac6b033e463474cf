package com.lockkeeper.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The server's clock as a {@link TestClock} a test moves forward (past a throttle window, a
 * grant's validity, a retention period) instead of waiting: {@code @Import(MovableClock.class)}
 * and autowire the {@code TestClock}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MovableClock {

    @Bean
    @Primary
    TestClock testClock() {
        return new TestClock();
    }
}
