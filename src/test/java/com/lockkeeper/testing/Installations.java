package com.lockkeeper.testing;

import com.lockkeeper.LockkeeperApplication;
import java.nio.file.Path;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Lockkeeper installations for tests: a data directory after a first start, and contexts on it. */
public final class Installations {

    private Installations() {
    }

    /**
     * The server's components on {@code dataDir} as node {@code nodeName}, without the web server.
     * A fresh data directory gets the first start (keys, first admin, enrollment token). Close it when done.
     */
    public static ConfigurableApplicationContext server(Path dataDir, String nodeName, String... extraArgs) {
        String[] args = new String[3 + extraArgs.length];
        args[0] = "--lockkeeper.data-dir=" + dataDir;
        args[1] = "--lockkeeper.node-name=" + nodeName;
        args[2] = "--lockkeeper.process=server";
        System.arraycopy(extraArgs, 0, args, 3, extraArgs.length);
        return new SpringApplicationBuilder(LockkeeperApplication.class)
                .web(WebApplicationType.NONE)
                .registerShutdownHook(false)
                .run(args);
    }

    /**
     * The whole server, web included, on {@code dataDir} as node {@code nodeName}, on a free
     * port ({@link #port}). Close it when done.
     */
    public static ConfigurableApplicationContext webServer(Path dataDir, String nodeName, String... extraArgs) {
        String[] args = new String[4 + extraArgs.length];
        args[0] = "--lockkeeper.data-dir=" + dataDir;
        args[1] = "--lockkeeper.node-name=" + nodeName;
        args[2] = "--lockkeeper.process=server";
        args[3] = "--server.port=0";
        System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
        return new SpringApplicationBuilder(LockkeeperApplication.class)
                .web(WebApplicationType.SERVLET)
                .registerShutdownHook(false)
                .run(args);
    }

    /** The port a {@link #webServer} listens on. */
    public static int port(ConfigurableApplicationContext webServer) {
        return ((org.springframework.boot.web.server.context.WebServerApplicationContext) webServer).getWebServer().getPort();
    }

    /** A data directory after a first start, with nothing running on it. */
    public static void bootstrap(Path dataDir, String nodeName) {
        server(dataDir, nodeName).close();
    }
}
