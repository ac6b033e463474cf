package com.lockkeeper.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AliasFor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole server, web included, on a random port ({@code @LocalServerPort}) and a fresh data
 * directory, so after a first start. Test classes with the same {@link #properties} (and no
 * configuration of their own) share one started server through Spring's test context cache:
 * their tests make their own users, tokens and computers with random names and look only at
 * those. A class that needs the server configured otherwise says so in {@link #properties} and
 * gets a server of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = WebServerTest.FreshDataDirectory.class)
public @interface WebServerTest {

    /** Server properties this class needs other than the defaults; any makes a server for it alone. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};

    /**
     * Gives each server a new temporary data directory (unless the test sets
     * {@code lockkeeper.data-dir} itself), removed when that server is closed: after its
     * database, since it is registered before any bean of the server.
     */
    final class FreshDataDirectory implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Path dataDir = DataDirectories.fresh();
            context.getEnvironment().getPropertySources().addLast(new MapPropertySource("lockkeeper test defaults",
                    Map.of("lockkeeper.data-dir", dataDir.toString(), "lockkeeper.node-name", "web-test")));
            ((DefaultSingletonBeanRegistry) context.getBeanFactory()).registerDisposableBean("lockkeeperTestDataDirectory",
                    () -> DataDirectories.delete(dataDir));
        }
    }
}
