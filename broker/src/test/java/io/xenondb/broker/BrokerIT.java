package io.xenondb.broker;

import static io.xenondb.broker.BrokerClients.state;
import static io.xenondb.broker.BrokerClients.timeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.xenondb.broker.BrokerClients.Collector;
import io.xenondb.broker.BrokerClients.Key;
import io.xenondb.broker.grpc.GrpcServer;
import io.xenondb.broker.http.AdminHttpServer;
import io.xenondb.broker.hub.BrokerHub;
import io.xenondb.proto.broker.BrokerServiceGrpc;
import io.xenondb.proto.broker.FilterTenantTimelineId;
import io.xenondb.proto.broker.MessageType;
import io.xenondb.proto.broker.ReactorBrokerServiceGrpc;
import io.xenondb.proto.broker.ReactorBrokerServiceGrpc.ReactorBrokerServiceStub;
import io.xenondb.proto.broker.SafekeeperDiscoveryRequest;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.proto.broker.SubscribeByFilterRequest;
import io.xenondb.proto.broker.SubscribeSafekeeperInfoRequest;
import io.xenondb.proto.broker.TypeSubscription;
import io.xenondb.proto.broker.TypedMessage;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The broker application in this JVM, on free ports, driven over real gRPC and HTTP connections on 127.0.0.1. */
@Tag("wal-service")
class BrokerIT {
    private static final Duration DELIVERY_BOUND = Duration.ofSeconds(2);
    private static final int SAFEKEEPERS = 3;

    private static ConfigurableApplicationContext broker;
    private static ListenAddress grpcAddress;
    private static ListenAddress httpAddress;
    private static ManagedChannel channel;
    private static ReactorBrokerServiceStub stub;

    private final List<Disposable> subscriptions = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = BrokerApplication.start("--listen-addr", "127.0.0.1:0", "--listen-http-addr", "127.0.0.1:0");
        grpcAddress = broker.getBean(GrpcServer.class).boundAddress();
        httpAddress = broker.getBean(AdminHttpServer.class).boundAddress();
        channel = BrokerClients.channel(grpcAddress);
        stub = ReactorBrokerServiceGrpc.newReactorStub(channel);
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (channel != null) {
            BrokerClients.close(channel);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void cancelSubscriptions() {
        subscriptions.forEach(Disposable::dispose);
        await("subscriptions of the test removed", () -> hub().subscriberCount() == 0);
    }

    @Test
    void everySubscriberReceivesEveryTimelinesLatestStateWithinTwoSeconds() {
        TenantId tenant = TenantId.generate();
        int timelines = 100;
        Collector all = subscribeAll();
        Collector allByFilter = new Collector();
        subscriptions.add(stub.subscribeByFilter(SubscribeByFilterRequest.newBuilder()
                        .addTypes(TypeSubscription.newBuilder().setType(MessageType.SAFEKEEPER_TIMELINE_INFO))
                        .build())
                .subscribe(message -> allByFilter.accept(message.getSafekeeperTimelineInfo())));
        Map<Integer, Collector> perTimeline = new HashMap<>();
        for (int t = 0; t < timelines; t += 10) {
            perTimeline.put(t, subscribeOne(timeline(tenant, t)));
        }
        await("subscriptions registered", () -> hub().subscriberCount() == 2 + perTimeline.size());

        Map<Key, Long> latest = publishRounds(tenant, timelines, 5);

        assertDeliveredWithinBound(all, latest, "all timelines");
        assertDeliveredWithinBound(allByFilter, latest, "all timelines by filter");
        perTimeline.forEach((t, collector) -> {
            Map<Key, Long> ofTimeline = only(latest, timeline(tenant, t));
            assertDeliveredWithinBound(collector, ofTimeline, "timeline " + t);
            assertThat(collector.newest.keySet())
                    .as("timeline %d gets only its own", t)
                    .isEqualTo(ofTimeline.keySet());
        });
    }

    @Test
    void killedAndStalledSubscribersAffectNoOther() throws Exception {
        TenantId tenant = TenantId.generate();
        int timelines = 50;
        Collector all = subscribeAll();
        Collector one = subscribeOne(timeline(tenant, 7));

        // Stalled: reads nothing (manual flow control, no request) through a narrow receive window.
        ManagedChannel stalledChannel = BrokerClients.narrowChannel(grpcAddress);
        StalledReader stalled = new StalledReader();
        BrokerServiceGrpc.newStub(stalledChannel)
                .subscribeSafekeeperInfo(
                        SubscribeSafekeeperInfoRequest.newBuilder()
                                .setAll(Empty.getDefaultInstance())
                                .build(),
                        stalled);

        // Killed: its connection is torn down abruptly mid-stream.
        ManagedChannel doomedChannel = BrokerClients.channel(grpcAddress);
        Collector doomed = new Collector();
        subscriptions.add(ReactorBrokerServiceGrpc.newReactorStub(doomedChannel)
                .subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest.newBuilder()
                        .setAll(Empty.getDefaultInstance())
                        .build())
                .subscribe(doomed::accept, error -> {}));
        await("subscriptions registered", () -> hub().subscriberCount() == 4);
        double conflatedBefore = metric("storage_broker_conflated_messages_total");

        Flux.interval(Duration.ofMillis(20))
                .filter(tick -> doomed.received.get() > 0)
                .next()
                .subscribe(tick -> doomedChannel.shutdownNow());
        Map<Key, Long> latest = publishRounds(tenant, timelines, 40);

        assertDeliveredWithinBound(all, latest, "all timelines");
        assertDeliveredWithinBound(one, only(latest, timeline(tenant, 7)), "timeline 7");
        await("killed subscriber removed", () -> hub().subscriberCount() == 3);
        assertThat(doomedChannel.isShutdown()).isTrue();
        assertThat(doomed.received.get()).isLessThan(SAFEKEEPERS * timelines * 40L);
        assertThat(metric("storage_broker_conflated_messages_total"))
                .as("the stalled subscriber's buffer conflated")
                .isGreaterThan(conflatedBefore);

        // Once it reads again, the stalled subscriber catches up to the newest state of every timeline.
        stalled.call.request(Integer.MAX_VALUE);
        await("stalled subscriber caught up", () -> stalled.collector.has(latest));
        stalled.call.cancel("done", null);
        BrokerClients.close(stalledChannel);
        BrokerClients.close(doomedChannel);
    }

    @Test
    void discoveryRequestsReachOnlyTheirTypeAndTimeline() {
        TenantId tenant = TenantId.generate();
        TenantTimelineId wanted = timeline(tenant, 1);
        List<TypedMessage> requests = new CopyOnWriteArrayList<>();
        subscriptions.add(stub.subscribeByFilter(SubscribeByFilterRequest.newBuilder()
                        .addTypes(TypeSubscription.newBuilder().setType(MessageType.SAFEKEEPER_DISCOVERY_REQUEST))
                        .setTenantTimelineId(FilterTenantTimelineId.newBuilder()
                                .setEnabled(true)
                                .setTenantTimelineId(wanted.toBrokerProto()))
                        .build())
                .subscribe(requests::add));
        Collector states = subscribeOne(wanted);
        await("subscriptions registered", () -> hub().subscriberCount() == 2);

        for (int t = 0; t < 3; t++) {
            stub.publishOne(TypedMessage.newBuilder()
                            .setType(MessageType.SAFEKEEPER_DISCOVERY_REQUEST)
                            .setSafekeeperDiscoveryRequest(SafekeeperDiscoveryRequest.newBuilder()
                                    .setTenantTimelineId(timeline(tenant, t).toBrokerProto()))
                            .build())
                    .block(Duration.ofSeconds(5));
        }
        stub.publishOne(TypedMessage.newBuilder()
                        .setType(MessageType.SAFEKEEPER_TIMELINE_INFO)
                        .setSafekeeperTimelineInfo(state(wanted, 1, 100))
                        .build())
                .block(Duration.ofSeconds(5));

        await("discovery request delivered", () -> requests.size() == 1 && states.received.get() == 1);
        assertThat(requests.getFirst().getSafekeeperDiscoveryRequest().getTenantTimelineId())
                .isEqualTo(wanted.toBrokerProto());
        assertThat(states.newest).containsEntry(new Key(wanted, 1), 100L);
    }

    @Test
    void malformedIdsAreInvalidArgumentNamingTheValue() {
        SubscribeSafekeeperInfoRequest shortTenant = SubscribeSafekeeperInfoRequest.newBuilder()
                .setTenantTimelineId(io.xenondb.proto.broker.TenantTimelineId.newBuilder()
                        .setTenantId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5}))
                        .setTimelineId(ByteString.copyFrom(new byte[16])))
                .build();
        assertThatThrownBy(() -> stub.subscribeSafekeeperInfo(shortTenant).blockFirst(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("tenant_id: 0x0102030405 (5 bytes; expected: 16 bytes)");
                    assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("INVALID_ID");
                });

        assertThatThrownBy(() -> stub.subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest.getDefaultInstance())
                        .blockFirst(Duration.ofSeconds(5)))
                .hasMessageContaining("INVALID_ARGUMENT: subscription_key: missing");
        assertThatThrownBy(() -> stub.subscribeByFilter(SubscribeByFilterRequest.newBuilder()
                                .setTenantTimelineId(
                                        FilterTenantTimelineId.newBuilder().setEnabled(true))
                                .build())
                        .blockFirst(Duration.ofSeconds(5)))
                .hasMessageContaining("INVALID_ARGUMENT: tenant_timeline_id: missing");
        assertThatThrownBy(() -> stub.publishOne(
                                TypedMessage.newBuilder().setTypeValue(9).build())
                        .block(Duration.ofSeconds(5)))
                .hasMessageContaining("INVALID_ARGUMENT: type: 9 (expected: SAFEKEEPER_TIMELINE_INFO (2)");
        SafekeeperTimelineInfo longTimeline = state(timeline(TenantId.generate(), 1), 1, 1).toBuilder()
                .setTenantTimelineId(io.xenondb.proto.broker.TenantTimelineId.newBuilder()
                        .setTenantId(ByteString.copyFrom(new byte[16]))
                        .setTimelineId(ByteString.copyFrom(new byte[17])))
                .build();
        assertThatThrownBy(() ->
                        stub.publishSafekeeperInfo(Flux.just(longTimeline)).block(Duration.ofSeconds(5)))
                .hasMessageContaining("INVALID_ARGUMENT: timeline_id: 0x0000")
                .hasMessageContaining("(17 bytes; expected: 16 bytes)");

        // The broker is unharmed.
        assertThat(stub.publishOne(TypedMessage.newBuilder()
                                .setType(MessageType.SAFEKEEPER_TIMELINE_INFO)
                                .setSafekeeperTimelineInfo(state(timeline(TenantId.generate(), 1), 1, 1))
                                .build())
                        .block(Duration.ofSeconds(5)))
                .isEqualTo(Empty.getDefaultInstance());
    }

    @Test
    void metricsAndHealthOverHttp() throws Exception {
        Collector all = subscribeAll();
        await("subscription registered", () -> hub().subscriberCount() == 1);
        stub.publishOne(TypedMessage.newBuilder()
                        .setType(MessageType.SAFEKEEPER_TIMELINE_INFO)
                        .setSafekeeperTimelineInfo(state(timeline(TenantId.generate(), 1), 1, 1))
                        .build())
                .block(Duration.ofSeconds(5));
        await("delivered", () -> all.received.get() == 1);

        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(metrics.body())
                .contains("# TYPE storage_broker_processed_messages_total counter")
                .contains("storage_broker_all_keys_active_subscribers 1.0")
                .contains("storage_broker_per_timeline_active_subscribers 0.0")
                .contains("storage_broker_active_publishers ")
                .contains("storage_broker_broadcasted_messages_total ")
                .contains("storage_broker_broadcast_dropped_messages_total ")
                .contains("storage_broker_conflated_messages_total ")
                .contains("storage_broker_published_oneoff_messages_total ")
                .contains("jvm_memory_used_bytes");
        assertThat(metric("storage_broker_published_oneoff_messages_total")).isGreaterThanOrEqualTo(1);

        for (String path : List.of("/status", "/health/liveness", "/health/readiness")) {
            HttpResponse<String> health = get(path);
            assertThat(health.statusCode()).as(path).isEqualTo(200);
            assertThat(health.body()).as(path).isEqualTo("{\"status\":\"UP\"}");
        }
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void stoppingEndsOpenStreamsWithoutWaitingOutTheGrace() throws Exception {
        ConfigurableApplicationContext second = BrokerApplication.start(
                "--listen-addr", "127.0.0.1:0", "--listen-http-addr", "127.0.0.1:0", "--shutdown-grace", "20s");
        ManagedChannel secondChannel =
                BrokerClients.channel(second.getBean(GrpcServer.class).boundAddress());
        try {
            ReactorBrokerServiceStub secondStub = ReactorBrokerServiceGrpc.newReactorStub(secondChannel);
            var subscriber = secondStub
                    .subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest.newBuilder()
                            .setAll(Empty.getDefaultInstance())
                            .build())
                    .then()
                    .toFuture();
            // A WAL node's stream: one state, then it stays open.
            var publisher = secondStub
                    .publishSafekeeperInfo(Flux.concat(
                            Flux.just(state(timeline(TenantId.generate(), 1), 1, 1)), Flux.never()))
                    .toFuture();
            BrokerHub secondHub = second.getBean(BrokerHub.class);
            await("streams open", () -> secondHub.subscriberCount() == 1 && !publisher.isDone());
            Thread.sleep(200);

            long started = System.nanoTime();
            second.close();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(millis).as("stop took %d ms", millis).isLessThan(5_000);
            assertThat(subscriber.get(5, TimeUnit.SECONDS))
                    .as("subscription completed normally")
                    .isNull();
            assertThatThrownBy(() -> publisher.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("UNAVAILABLE: broker is shutting down");
        } finally {
            second.close();
            BrokerClients.close(secondChannel);
        }
    }

    private Collector subscribeAll() {
        Collector collector = new Collector();
        subscriptions.add(stub.subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest.newBuilder()
                        .setAll(Empty.getDefaultInstance())
                        .build())
                .subscribe(collector::accept));
        return collector;
    }

    private Collector subscribeOne(TenantTimelineId timeline) {
        Collector collector = new Collector();
        subscriptions.add(stub.subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest.newBuilder()
                        .setTenantTimelineId(timeline.toBrokerProto())
                        .build())
                .subscribe(collector::accept));
        return collector;
    }

    /**
     * Each WAL node publishes {@code rounds} states of every timeline over its own stream, all at once. Returns the
     * newest commit LSN per key, after checking that no publisher was held up.
     */
    private Map<Key, Long> publishRounds(TenantId tenant, int timelines, int rounds) {
        Map<Key, Long> latest = new HashMap<>();
        List<Mono<Empty>> publishers = new ArrayList<>();
        for (long safekeeper = 1; safekeeper <= SAFEKEEPERS; safekeeper++) {
            long sk = safekeeper;
            ReactorBrokerServiceStub publisher = ReactorBrokerServiceGrpc.newReactorStub(channel);
            Flux<SafekeeperTimelineInfo> states = Flux.range(1, rounds)
                    .concatMap(round -> Flux.range(0, timelines).map(t -> state(timeline(tenant, t), sk, round)));
            publishers.add(publisher.publishSafekeeperInfo(states));
            for (int t = 0; t < timelines; t++) {
                latest.put(new Key(timeline(tenant, t), sk), (long) rounds);
            }
        }
        long started = System.nanoTime();
        Mono.when(publishers).block(Duration.ofSeconds(30));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(millis)
                .as("%d publications took %d ms", SAFEKEEPERS * timelines * rounds, millis)
                .isLessThan(15_000);
        return latest;
    }

    private static void assertDeliveredWithinBound(Collector collector, Map<Key, Long> expected, String who) {
        long deadline = System.nanoTime() + DELIVERY_BOUND.toNanos();
        while (!collector.has(expected) && System.nanoTime() < deadline) {
            sleep(5);
        }
        assertThat(collector.has(expected))
                .as("%s: newest state of %d keys within %s", who, expected.size(), DELIVERY_BOUND)
                .isTrue();
        long worst = collector.worstDelayMillis(expected);
        System.out.printf(
                "%s: %d newest states, worst publication-to-delivery delay %d ms%n", who, expected.size(), worst);
        assertThat(worst)
                .as("%s: worst publication-to-delivery delay (ms)", who)
                .isLessThanOrEqualTo(DELIVERY_BOUND.toMillis());
    }

    private static Map<Key, Long> only(Map<Key, Long> latest, TenantTimelineId timeline) {
        Map<Key, Long> ofTimeline = new HashMap<>();
        latest.forEach((key, lsn) -> {
            if (key.timeline().equals(timeline)) {
                ofTimeline.put(key, lsn);
            }
        });
        return ofTimeline;
    }

    private static BrokerHub hub() {
        return broker.getBean(BrokerHub.class);
    }

    private static double metric(String name) throws Exception {
        return get("/metrics")
                .body()
                .lines()
                .filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://" + httpAddress + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            sleep(5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A subscriber that requests nothing until told to. */
    private static final class StalledReader
            implements ClientResponseObserver<SubscribeSafekeeperInfoRequest, SafekeeperTimelineInfo> {
        final Collector collector = new Collector();
        volatile ClientCallStreamObserver<SubscribeSafekeeperInfoRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<SubscribeSafekeeperInfoRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(0);
        }

        @Override
        public void onNext(SafekeeperTimelineInfo value) {
            collector.accept(value);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
