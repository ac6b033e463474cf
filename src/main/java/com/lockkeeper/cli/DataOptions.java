package com.lockkeeper.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where this node's data lives: the same options for `serve` and every admin command. */
public final class DataOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:LOCKKEEPER_DATA_DIR:-./lockkeeper-data}",
            description = "data directory: this node's key and the embedded database (default: $LOCKKEEPER_DATA_DIR or"
                    + " ./lockkeeper-data)")
    Path dataDir;

    @Option(names = "--node-name", paramLabel = "NAME", defaultValue = "${env:LOCKKEEPER_NODE_NAME}",
            description = "this node's name (default: $LOCKKEEPER_NODE_NAME or the host name)")
    String nodeName;

    String[] springArguments() {
        java.util.List<String> args = new java.util.ArrayList<>();
        args.add("--lockkeeper.data-dir=" + dataDir.toAbsolutePath().normalize());
        if (nodeName != null && !nodeName.isBlank()) {
            args.add("--lockkeeper.node-name=" + nodeName);
        }
        return args.toArray(String[]::new);
    }
}
