package io.xenondb.controller;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.service.process.ServiceCommand;
import io.xenondb.service.process.ServiceProcess;
import io.xenondb.shared.cli.ListenAddress;
import java.nio.file.Path;

/**
 * Storage nodes for the controller's tests: each a process of its own (in one JVM, closing the controller's
 * context would dispose Reactor Netty's global resources and with them a node's HTTP server), with no broker to
 * reach (the controller only talks to the management API).
 */
final class TestStorageNodes {
    private TestStorageNodes() {}

    /** Node {@code id} on {@code httpPort} and {@code grpcPort}, with {@code extra} flags; not started yet. */
    static ServiceProcess process(
            String name, int id, Path dataDir, int httpPort, int grpcPort, Path log, String... extra) {
        return ServiceCommand.storageNode(
                        id,
                        dataDir,
                        new ListenAddress("127.0.0.1", httpPort),
                        new ListenAddress("127.0.0.1", grpcPort),
                        "http://127.0.0.1:" + FreePorts.allocate())
                .with(extra)
                .process(name, log);
    }

    /** The same with its gRPC on a free port. */
    static ServiceProcess process(String name, int id, Path dataDir, int httpPort, Path log) {
        return process(name, id, dataDir, httpPort, FreePorts.allocate(), log);
    }
}
