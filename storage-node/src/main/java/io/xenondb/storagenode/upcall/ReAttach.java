package io.xenondb.storagenode.upcall;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The re-attach a starting storage node makes before it serves any tenant: asked until the controller answers
 * (with doubling backoff while it is unreachable or answers 5xx), given up at once on any other refusal, and
 * abandoned when the JVM shuts down or {@link #close} is called, so a node waiting for its controller never holds
 * up its own shutdown.
 */
public final class ReAttach implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReAttach.class);

    /** How long to wait after the first failure, and at most. */
    public record Backoff(Duration first, Duration max) {
        public static Backoff defaults() {
            return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        }
    }

    private final ControlPlaneClient client;
    private final long nodeId;
    private final Map<String, Object> register;
    private final Backoff backoff;
    private final CountDownLatch abandoned = new CountDownLatch(1);

    /** @param register Neon's {@code NodeRegisterRequest} (see {@link #registration}), or null */
    public ReAttach(ControlPlaneClient client, long nodeId, Map<String, Object> register, Backoff backoff) {
        this.client = client;
        this.nodeId = nodeId;
        this.register = register;
        this.backoff = backoff;
    }

    /**
     * Neon's {@code NodeRegisterRequest} for a node serving its API on {@code http} and its page service on
     * {@code grpc}; the page service is also given as the pg address (the field is required, and the gRPC page
     * service is what Xenon's computes connect to).
     */
    public static Map<String, Object> registration(
            long nodeId, ListenAddress http, ListenAddress grpc, String availabilityZone) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("node_id", nodeId);
        r.put("listen_pg_addr", grpc.host());
        r.put("listen_pg_port", grpc.port());
        r.put("listen_http_addr", http.host());
        r.put("listen_http_port", http.port());
        r.put("listen_grpc_addr", grpc.host());
        r.put("listen_grpc_port", grpc.port());
        r.put("availability_zone_id", availabilityZone);
        return r;
    }

    /** Re-attaches, retrying while the controller is unavailable; the shard locations it answered. */
    public Map<TenantShardId, LocationConfig> untilAnswered(boolean emptyLocalDisk) {
        Thread hook = Thread.ofPlatform().unstarted(abandoned::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Duration wait = backoff.first();
            for (int attempt = 1; ; attempt++) {
                try {
                    Map<TenantShardId, LocationConfig> answer = client.reAttach(nodeId, register, emptyLocalDisk);
                    LOG.info("re-attach to {} answered {} tenant shard(s)", client.base(), answer.size());
                    return answer;
                } catch (XenonException e) {
                    if (e.code() != ErrorCode.UNAVAILABLE) {
                        throw e;
                    }
                    LOG.warn(
                            "re-attach attempt {} failed, again in {} ms: {}",
                            attempt,
                            wait.toMillis(),
                            e.getMessage());
                }
                if (abandoned.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new XenonException(ErrorCode.UNAVAILABLE, "re-attach abandoned: the node is stopping");
                }
                wait = wait.multipliedBy(2).compareTo(backoff.max()) > 0 ? backoff.max() : wait.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "re-attach interrupted", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already: the hook ran or runs, nothing to undo
            }
        }
    }

    /** Abandons a re-attach that is waiting to retry. */
    @Override
    public void close() {
        abandoned.countDown();
    }
}
