package com.lockkeeper.cli;

import com.lockkeeper.LockkeeperApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "serve", description = "Run the server. The first start on a new data directory bootstraps the keys, the"
        + " first admin and an enrollment token, and prints their secrets once.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String bind;

    @Unmatched
    List<String> springProperties = new ArrayList<>();

    ServeCommand(Terminal terminal) {
    }

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of(data.springArguments()));
        args.add("--lockkeeper.process=server");
        args.add("--server.port=" + port);
        args.add("--server.address=" + bind);
        for (String property : springProperties) {
            if (!property.matches("--[a-z][A-Za-z0-9.\\-\\[\\]]*=.*")) {
                throw new CliFailure("unknown option '" + property.split("=")[0] + "': see `lockkeeper serve --help`;"
                        + " settings are given as --property.name=value");
            }
            args.add(property);
        }
        SpringApplication.run(LockkeeperApplication.class, args.toArray(String[]::new));
        return -1; // keep running: the web server's threads hold the process
    }
}
