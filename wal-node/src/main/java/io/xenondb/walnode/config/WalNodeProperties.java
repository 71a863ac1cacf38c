package io.xenondb.walnode.config;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The WAL node's settings, bound from its command-line flags ({@code --listen-grpc=...}; see {@link WalNodeFlags}).
 *
 * @param id this node's id as given ({@code --id}); absent means "the id recorded in the data directory"
 * @param datadir where timelines live, one directory per timeline: {@code <datadir>/<tenant>/<timeline>/}
 * @param listenGrpc where the WAL service ({@code xenon.wal.WalService}) is served
 * @param listenHttp where Neon's HTTP API, {@code /metrics} and {@code /health} are served
 * @param advertiseGrpc the gRPC address published to the broker; absent means the listen address (with the port
 *     actually bound)
 * @param brokerEndpoint the storage broker, {@code http://host:port} or {@code host:port}
 * @param brokerKeepaliveInterval HTTP/2 keepalive ping interval of the broker connection
 * @param disablePeriodicBrokerPush do not publish timeline state to the broker (tests)
 * @param availabilityZone published to the broker with each timeline's state
 * @param controlFileSaveInterval how often changed commit and truncate LSNs are checkpointed to the control file
 */
@ConfigurationProperties
public record WalNodeProperties(
        String id,
        @DefaultValue(DEFAULT_DATADIR) String datadir,
        @DefaultValue(DEFAULT_LISTEN_GRPC) ListenAddress listenGrpc,
        @DefaultValue(DEFAULT_LISTEN_HTTP) ListenAddress listenHttp,
        ListenAddress advertiseGrpc,
        @DefaultValue(DEFAULT_BROKER_ENDPOINT) String brokerEndpoint,
        @DefaultValue(DEFAULT_BROKER_KEEPALIVE_INTERVAL) Duration brokerKeepaliveInterval,
        @DefaultValue("false") boolean disablePeriodicBrokerPush,
        String availabilityZone,
        @DefaultValue(DEFAULT_CONTROL_FILE_SAVE_INTERVAL) Duration controlFileSaveInterval) {
    static final String DEFAULT_DATADIR = ".";
    public static final String DEFAULT_LISTEN_GRPC = "127.0.0.1:5454";
    public static final String DEFAULT_LISTEN_HTTP = "127.0.0.1:7676";
    static final String DEFAULT_BROKER_ENDPOINT = "http://127.0.0.1:50051";
    static final String DEFAULT_BROKER_KEEPALIVE_INTERVAL = "5s";
    static final String DEFAULT_CONTROL_FILE_SAVE_INTERVAL = "1s";

    public WalNodeProperties {
        if (id != null) {
            NodeId.parse(id.strip());
            id = id.strip();
        }
        if (datadir == null || datadir.isBlank()) {
            throw invalid("datadir: empty (expected: a directory path)");
        }
        try {
            Path.of(datadir);
        } catch (InvalidPathException e) {
            throw invalid("datadir: " + datadir + " (expected: a directory path; " + e.getReason() + ")");
        }
        brokerAddress(brokerEndpoint);
        requirePositive("broker-keepalive-interval", brokerKeepaliveInterval);
        requirePositive("control-file-save-interval", controlFileSaveInterval);
        if (availabilityZone != null && availabilityZone.isBlank()) {
            availabilityZone = null;
        }
        if (listenGrpc.port() != 0 && listenGrpc.equals(listenHttp)) {
            throw invalid("listen-http: " + listenHttp + " (expected: an address other than listen-grpc)");
        }
        if (advertiseGrpc != null && advertiseGrpc.port() == 0) {
            throw invalid("advertise-grpc: " + advertiseGrpc + " (expected: a real port, not 0)");
        }
    }

    /**
     * The data directory as given, relative to the working directory. (Bound as text: Spring's own conversion
     * would look a relative path up on the classpath first.)
     */
    public Path dataDirectory() {
        return Path.of(datadir);
    }

    /** The id given on the command line, if any. */
    public Optional<NodeId> nodeId() {
        return Optional.ofNullable(id).map(NodeId::parse);
    }

    /** The broker's address: {@link #brokerEndpoint} without its {@code http://} scheme. */
    public ListenAddress brokerAddress() {
        return brokerAddress(brokerEndpoint);
    }

    public Optional<String> zone() {
        return Optional.ofNullable(availabilityZone);
    }

    private static ListenAddress brokerAddress(String endpoint) {
        return ListenAddress.parseHttpEndpoint("broker-endpoint", endpoint);
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw invalid(name + ": " + value + " (expected: a positive duration such as 5s or 500ms)");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
