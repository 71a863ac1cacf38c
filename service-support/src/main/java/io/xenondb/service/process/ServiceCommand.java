package io.xenondb.service.process;

import io.xenondb.shared.cli.ListenAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How each Xenon service is started: its main class and flags, in one place for every launcher (the
 * {@code xenon} CLI, the tests' clusters, the benchmarks). Extra flags go on with {@link #with}.
 */
public record ServiceCommand(String mainClass, List<String> args) {
    public ServiceCommand {
        args = List.copyOf(args);
    }

    /** The storage broker: gRPC on {@code grpc}, its HTTP (metrics, health) on {@code http}. */
    public static ServiceCommand broker(ListenAddress grpc, ListenAddress http) {
        return new ServiceCommand(
                "io.xenondb.broker.BrokerApplication",
                List.of("--listen-addr", grpc.toString(), "--listen-http-addr", http.toString()));
    }

    /** WAL node {@code id} with its data in {@code dataDir}, publishing to the broker at {@code broker}. */
    public static ServiceCommand walNode(int id, Path dataDir, ListenAddress grpc, ListenAddress http, String broker) {
        return new ServiceCommand(
                "io.xenondb.walnode.WalNodeApplication",
                List.of(
                        "--id",
                        Integer.toString(id),
                        "-D",
                        dataDir.toString(),
                        "--listen-grpc",
                        grpc.toString(),
                        "--listen-http",
                        http.toString(),
                        "--broker-endpoint",
                        broker));
    }

    /** Storage node {@code id} with its workdir {@code dataDir}, finding WAL nodes through the broker. */
    public static ServiceCommand storageNode(
            int id, Path dataDir, ListenAddress http, ListenAddress grpc, String broker) {
        return new ServiceCommand(
                "io.xenondb.storagenode.StorageNodeApplication",
                List.of(
                        "--id",
                        Integer.toString(id),
                        "-D",
                        dataDir.toString(),
                        "--listen-http",
                        http.toString(),
                        "--listen-grpc",
                        grpc.toString(),
                        "--broker-endpoint",
                        broker));
    }

    /** The storage controller in development mode, its embedded PostgreSQL in {@code databaseDir}. */
    public static ServiceCommand devController(ListenAddress listen, Path databaseDir) {
        return new ServiceCommand(
                "io.xenondb.controller.ControllerApplication",
                List.of("--dev", "--listen", listen.toString(), "--dev-data-dir", databaseDir.toString()));
    }

    /** The broker endpoint other services take: {@code http://host:port} of the broker's gRPC. */
    public static String brokerEndpoint(ListenAddress grpc) {
        return "http://" + grpc;
    }

    /** The same command with {@code more} flags after its own. */
    public ServiceCommand with(String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return new ServiceCommand(mainClass, all);
    }

    /** A process running this command on this JVM's class path, its output in {@code log}; not started yet. */
    public ServiceProcess process(String name, Path log) {
        return ServiceProcess.java(name, mainClass, args, log);
    }
}
