package com.lockkeeper.testing;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * For a test class whose server starts with its own {@code logging.level.*}: logging is one per
 * JVM, and a server taken from Spring's context cache does not set it up again, so the levels
 * this class's server set would otherwise stay on for the classes after it. Notes every
 * configured level before the class and puts them back after it.
 */
public final class LogLevelsRestored implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, LogLevel> before = new HashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        before.clear();
        for (LoggerConfiguration logger : logging().getLoggerConfigurations()) {
            before.put(logger.getName(), logger.getConfiguredLevel());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LoggingSystem logging = logging();
        for (LoggerConfiguration logger : logging.getLoggerConfigurations()) {
            LogLevel level = before.get(logger.getName());
            if (level != logger.getConfiguredLevel()) {
                logging.setLogLevel(logger.getName(), level);
            }
        }
    }

    private static LoggingSystem logging() {
        return LoggingSystem.get(LogLevelsRestored.class.getClassLoader());
    }
}
