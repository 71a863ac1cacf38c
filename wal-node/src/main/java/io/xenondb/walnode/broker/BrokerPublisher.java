package io.xenondb.walnode.broker;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.xenondb.proto.broker.ReactorBrokerServiceGrpc;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.id.NodeId;
import io.xenondb.walnode.config.WalNodeEndpoints;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import io.xenondb.walnode.timeline.TimelineActor;
import io.xenondb.walnode.timeline.TimelineRegistry;
import io.xenondb.walnode.timeline.TimelineState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Publishes the state of every timeline on this node to the storage broker about once a second (Neon's
 * {@code safekeeper/src/broker.rs}), over one long-lived {@code PublishSafekeeperInfo} stream that is reopened
 * with backoff whenever it fails. It only reads the timelines' published states, so a slow or absent broker never
 * delays WAL acceptance; ticks the stream cannot take are dropped, not queued.
 */
public final class BrokerPublisher implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerPublisher.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final NodeId nodeId;
    private final TimelineRegistry registry;
    private final WalNodeEndpoints endpoints;
    private final WalNodeMetrics metrics;
    private final ListenAddress broker;
    private final Duration keepalive;
    private final Duration interval;
    private final Optional<String> availabilityZone;
    private final AtomicBoolean connected = new AtomicBoolean();
    private volatile boolean warned;
    private volatile ManagedChannel channel;
    private Disposable publishing;

    public BrokerPublisher(
            NodeId nodeId,
            TimelineRegistry registry,
            WalNodeEndpoints endpoints,
            WalNodeMetrics metrics,
            ListenAddress broker,
            Duration keepalive,
            Duration interval,
            Optional<String> availabilityZone) {
        this.nodeId = nodeId;
        this.registry = registry;
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.broker = broker;
        this.keepalive = keepalive;
        this.interval = interval;
        this.availabilityZone = availabilityZone;
    }

    @Override
    public synchronized void start() {
        channel = ManagedChannelBuilder.forAddress(broker.host(), broker.port())
                .usePlaintext()
                .keepAliveTime(keepalive.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .build();
        ReactorBrokerServiceGrpc.ReactorBrokerServiceStub stub = ReactorBrokerServiceGrpc.newReactorStub(channel);
        publishing = Mono.defer(() -> stub.publishSafekeeperInfo(updates()))
                .doOnError(this::disconnected)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY).maxBackoff(MAX_RETRY))
                // The broker ended the stream normally (e.g. restarting): open a new one after a pause.
                .repeatWhen(completions -> completions.delayElements(FIRST_RETRY))
                .subscribe(empty -> {}, error -> LOG.error("broker publishing stopped", error));
        LOG.info("publishing timeline state to the broker at {} every {}", broker, interval);
    }

    @Override
    public synchronized void stop() {
        if (publishing != null) {
            publishing.dispose();
            publishing = null;
        }
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return publishing != null;
    }

    /** The state of every timeline, once per tick, for as long as the stream lasts. */
    private Flux<SafekeeperTimelineInfo> updates() {
        return Flux.interval(Duration.ZERO, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMapIterable(tick -> snapshot(), 1);
    }

    private List<SafekeeperTimelineInfo> snapshot() {
        ListenAddress grpc = endpoints.advertisedGrpc();
        ListenAddress http = endpoints.http();
        if (grpc == null || http == null) {
            return List.of(); // servers not started yet: nothing to tell peers where to connect
        }
        ManagedChannel current = channel; // read without the lock: only for a log line
        if (current != null
                && current.getState(false) == ConnectivityState.READY
                && connected.compareAndSet(false, true)) {
            warned = false;
            LOG.info("connected to the broker at {}", broker);
        }
        List<SafekeeperTimelineInfo> infos = new ArrayList<>();
        for (TimelineActor actor : registry.timelines()) {
            infos.add(info(actor.state(), grpc, http));
        }
        metrics.brokerPushed(infos.size());
        return infos;
    }

    private SafekeeperTimelineInfo info(TimelineState state, ListenAddress grpc, ListenAddress http) {
        var status = state.consensus();
        SafekeeperTimelineInfo.Builder info = SafekeeperTimelineInfo.newBuilder()
                .setSafekeeperId(nodeId.value())
                .setTenantTimelineId(status.timeline().toBrokerProto())
                .setTerm(status.term().value())
                .setLastLogTerm(status.lastLogTerm().value())
                .setFlushLsn(status.flushLsn().value())
                .setCommitLsn(status.commitLsn().value())
                .setBackupLsn(state.backupLsn().value())
                .setRemoteConsistentLsn(state.remoteConsistentLsn().value())
                .setPeerHorizonLsn(status.truncateLsn().value())
                .setLocalStartLsn(status.localStartLsn().value())
                .setSafekeeperConnstr(grpc.toString())
                .setHttpConnstr(http.toString());
        availabilityZone.ifPresent(info::setAvailabilityZone);
        return info.build();
    }

    private void disconnected(Throwable error) {
        // One warning per outage; the retries of the same outage only at debug level.
        if (connected.compareAndSet(true, false) || !warned) {
            warned = true;
            LOG.warn("broker at {} unreachable, retrying with backoff: {}", broker, error.getMessage());
        } else {
            LOG.debug("broker at {} still unreachable: {}", broker, error.getMessage());
        }
    }
}
