package com.lockkeeper.cli;

import com.lockkeeper.LockkeeperApplication;
import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.Actor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The server's own components, started without the web server, for one admin command. It
 * reads the same data directory and database as `serve`; with the embedded database, H2's
 * automatic mixed mode lets it run while the server is up; with PostgreSQL, any number of
 * nodes and commands share the database.
 */
final class AdminContext implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private AdminContext(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static AdminContext open(DataOptions data) {
        Path dataDir = data.dataDir.toAbsolutePath().normalize();
        if (data.embedded() && !Files.exists(dataDir.resolve("lockkeeper.mv.db"))) {
            throw new CliFailure("no Lockkeeper database in " + dataDir + ": start the server once with `lockkeeper serve"
                    + " --data-dir " + data.dataDir + "` to create it, or pass the right --data-dir");
        }
        List<String> args = new ArrayList<>(List.of(data.springArguments()));
        args.add("--lockkeeper.process=cli-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        // Standard output belongs to the command (scripts read its last line); failures are reported in one line.
        args.add("--logging.level.root=ERROR");
        args.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
        args.add("--spring.main.log-startup-info=false");
        args.add("--spring.main.lazy-initialization=true");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LockkeeperApplication.class)
                .web(WebApplicationType.NONE)
                .registerShutdownHook(false)
                .run(args.toArray(String[]::new));
        return new AdminContext(context);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    LockkeeperSettings settings() {
        return bean(LockkeeperSettings.class);
    }

    /** The admin at this terminal, as the audit log names them. */
    Actor actor() {
        String user = System.getProperty("user.name", "unknown");
        return Actor.commandLine(user, settings().nodeName());
    }

    @Override
    public void close() {
        context.close();
    }
}
