package io.xenondb.storagenode.config;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.storagenode.remote.RemoteStorageConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The storage node's settings, bound from its flags ({@link StorageNodeFlags}). Paths are bound as text: Spring's
 * own conversion would look a relative path up on the classpath first.
 */
@ConfigurationProperties
public record StorageNodeProperties(
        @DefaultValue("1") String id,
        @DefaultValue(DEFAULT_WORKDIR) String workdir,
        @DefaultValue(DEFAULT_LISTEN_HTTP) ListenAddress listenHttp,
        @DefaultValue(DEFAULT_LISTEN_GRPC) ListenAddress listenGrpc,
        @DefaultValue(DEFAULT_BROKER_ENDPOINT) String brokerEndpoint,
        String pgDistribDir,
        @DefaultValue(DEFAULT_WAIT_LSN_TIMEOUT) Duration waitLsnTimeout,
        String remoteStorage,
        String authPublicKey) {
    static final String DEFAULT_WORKDIR = ".";
    static final String DEFAULT_LISTEN_HTTP = "127.0.0.1:9898";
    static final String DEFAULT_LISTEN_GRPC = "127.0.0.1:51051";
    static final String DEFAULT_BROKER_ENDPOINT = "http://127.0.0.1:50051";
    static final String DEFAULT_WAIT_LSN_TIMEOUT = "60s";

    public StorageNodeProperties {
        NodeId.parse(id.strip());
        path("workdir", workdir);
        if (pgDistribDir != null) {
            path("pg-distrib-dir", pgDistribDir);
        }
        brokerAddress(brokerEndpoint);
        if (waitLsnTimeout.isNegative() || waitLsnTimeout.isZero()) {
            throw invalid("wait-lsn-timeout: " + waitLsnTimeout + " (expected: a positive duration such as 60s)");
        }
        if (remoteStorage != null && !remoteStorage.isBlank()) {
            RemoteStorageConfig.parse(remoteStorage);
        }
        if (authPublicKey != null) {
            path("auth-public-key", authPublicKey);
        }
        if (listenGrpc.port() != 0 && listenGrpc.equals(listenHttp)) {
            throw invalid("listen-grpc: " + listenGrpc + " (expected: an address other than listen-http)");
        }
    }

    public NodeId nodeId() {
        return NodeId.parse(id.strip());
    }

    public Path workdirPath() {
        return Path.of(workdir);
    }

    public Optional<Path> pgBinDir() {
        return Optional.ofNullable(pgDistribDir).map(Path::of);
    }

    /** Where uploads go and attachments come from; empty: no remote storage (nothing uploaded). */
    public Optional<RemoteStorageConfig> remoteStorageConfig() {
        return remoteStorage == null || remoteStorage.isBlank()
                ? Optional.empty()
                : Optional.of(RemoteStorageConfig.parse(remoteStorage));
    }

    /** The key tokens must verify with; empty: no authentication (Neon's auth_type Trust). */
    public Optional<java.security.PublicKey> authKey() {
        if (authPublicKey == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    io.xenondb.shared.auth.Jwt.publicKey(java.nio.file.Files.readString(Path.of(authPublicKey))));
        } catch (java.io.IOException e) {
            throw invalid("auth-public-key: " + authPublicKey + " cannot be read (" + e + ")");
        }
    }

    public ListenAddress brokerAddress() {
        return brokerAddress(brokerEndpoint);
    }

    private static ListenAddress brokerAddress(String endpoint) {
        return ListenAddress.parseHttpEndpoint("broker-endpoint", endpoint);
    }

    private static void path(String name, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(name + ": empty (expected: a directory path)");
        }
        try {
            Path.of(value);
        } catch (InvalidPathException e) {
            throw invalid(name + ": " + value + " (expected: a directory path; " + e.getReason() + ")");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
