package com.lockkeeper.testing;

import java.util.Locale;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * For a test class whose server is started with {@code logging.level.*} among its test
 * properties: logging is one per JVM, and a server taken from Spring's context cache later does
 * not set it up again, so those levels would stay on for the classes after this one. After the
 * class, each logger it named gets the level the rest of the configuration gives it (or none).
 */
public final class LogLevelsRestored implements AfterAllCallback {

    private static final String PREFIX = "logging.level.";

    @Override
    public void afterAll(ExtensionContext context) {
        ConfigurableEnvironment environment =
                (ConfigurableEnvironment) SpringExtension.getApplicationContext(context).getEnvironment();
        PropertySource<?> testProperties =
                environment.getPropertySources().get(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME);
        if (!(testProperties instanceof EnumerablePropertySource<?> named)) {
            return;
        }
        LoggingSystem logging = LoggingSystem.get(LogLevelsRestored.class.getClassLoader());
        for (String property : named.getPropertyNames()) {
            if (property.startsWith(PREFIX)) {
                String logger = property.substring(PREFIX.length());
                logging.setLogLevel(logger.equalsIgnoreCase("root") ? LoggingSystem.ROOT_LOGGER_NAME : logger,
                        levelElsewhere(environment, testProperties, property));
            }
        }
    }

    private static LogLevel levelElsewhere(ConfigurableEnvironment environment, PropertySource<?> except, String property) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source != except && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
                    && source.containsProperty(property)) {
                return LogLevel.valueOf(String.valueOf(source.getProperty(property)).trim().toUpperCase(Locale.ROOT));
            }
        }
        return null;
    }
}
