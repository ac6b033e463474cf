package com.lockkeeper.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * Runs a {@code @ParameterizedClass} once per {@link TestDatabase}, each time with a Lockkeeper
 * server (web included) on that database as the class's parameter:
 *
 * <pre>{@code
 * @ParameterizedClass(name = "on {0}")
 * @ServerPerDatabase
 * class SomeTest {
 *     @Parameter
 *     DatabaseServer server;
 * }
 * }</pre>
 *
 * <p>{@link Installation#SHARED} (the default): one server per database serves every class of the
 * test run that asks for it, for tests that make their own computers, users and tokens with
 * random names and look only at those. {@link Installation#OWN}: a new installation for this
 * class alone, closed after it, for tests that look at or alter the whole database (say, verify
 * or tamper with the whole audit log).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(ServerPerDatabase.Servers.class)
public @interface ServerPerDatabase {

    Installation value() default Installation.SHARED;

    /** The name of the installation's node (an own installation only; the shared ones are {@value #SHARED_NODE}). */
    String node() default SHARED_NODE;

    String SHARED_NODE = "shared-test";

    enum Installation { SHARED, OWN }

    /** Starts the servers, or finds the shared ones; JUnit closes each with the context it is stored in. */
    final class Servers implements ArgumentsProvider, AnnotationConsumer<ServerPerDatabase> {

        private ServerPerDatabase settings;

        @Override
        public void accept(ServerPerDatabase settings) {
            this.settings = settings;
        }

        @Override
        public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
            boolean shared = settings.value() == Installation.SHARED;
            String node = shared ? SHARED_NODE : settings.node();
            ExtensionContext.Store store = (shared ? context.getRoot() : context)
                    .getStore(ExtensionContext.Namespace.create(ServerPerDatabase.class));
            return Arrays.stream(TestDatabase.values()).map(database -> Arguments.of(
                    store.computeIfAbsent(List.of(database, node), key -> new Running(DatabaseServer.start(database, node)),
                            Running.class).server()));
        }
    }

    /** What the store closes: when the test run ends (shared) or the class does (own). */
    record Running(DatabaseServer server) implements AutoCloseable {

        @Override
        public void close() {
            server.stop();
        }
    }
}
