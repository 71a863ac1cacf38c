package io.xenondb.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServiceDescriptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.xenondb.proto.broker.BrokerServiceGrpc;
import io.xenondb.proto.broker.ReactorBrokerServiceGrpc;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.proto.broker.SubscribeSafekeeperInfoRequest;
import io.xenondb.proto.pageapi.GetPageRequest;
import io.xenondb.proto.pageapi.PageServiceGrpc;
import io.xenondb.proto.wal.AppendRequest;
import io.xenondb.proto.wal.AppendResponse;
import io.xenondb.proto.wal.ReactorWalServiceGrpc;
import io.xenondb.proto.wal.Refusal;
import io.xenondb.proto.wal.RefusalReason;
import io.xenondb.proto.wal.WalServiceGrpc;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The generated contracts keep Neon's wire names and numbers, and the Reactor stubs work end to end over a
 * real (in-process) gRPC transport.
 */
class ProtoContractTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final TenantTimelineId TIMELINE = new TenantTimelineId(
            TenantId.parse("9ef87a5bf0d92544f6fafeeb3239695c"), TimelineId.parse("de200bd42b49cc1814412c7e592dd6e9"));

    private static final AtomicLong published = new AtomicLong();
    private static Server server;
    private static ManagedChannel channel;

    @BeforeAll
    static void startServer() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(new TinyBroker())
                .addService(new TinyWalNode())
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void serviceAndMethodNamesAreTheWireNames() {
        assertMethods(
                PageServiceGrpc.getServiceDescriptor(),
                "page_api.PageService",
                Map.of(
                        "GetBaseBackup", MethodType.SERVER_STREAMING,
                        "GetDbSize", MethodType.UNARY,
                        "GetPages", MethodType.BIDI_STREAMING,
                        "GetRelSize", MethodType.UNARY,
                        "GetSlruSegment", MethodType.UNARY,
                        "LeaseLsn", MethodType.UNARY));
        assertThat(PageServiceGrpc.getGetDbSizeMethod().getFullMethodName())
                .isEqualTo("page_api.PageService/GetDbSize");

        assertMethods(
                BrokerServiceGrpc.getServiceDescriptor(),
                "storage_broker.BrokerService",
                Map.of(
                        "SubscribeSafekeeperInfo", MethodType.SERVER_STREAMING,
                        "PublishSafekeeperInfo", MethodType.CLIENT_STREAMING,
                        "SubscribeByFilter", MethodType.SERVER_STREAMING,
                        "PublishOne", MethodType.UNARY));

        assertMethods(
                WalServiceGrpc.getServiceDescriptor(),
                "xenon.wal.WalService",
                Map.of(
                        "Greet", MethodType.UNARY,
                        "Vote", MethodType.UNARY,
                        "Elect", MethodType.UNARY,
                        "Append", MethodType.BIDI_STREAMING,
                        "ReadWal", MethodType.SERVER_STREAMING,
                        "GetTimelineStatus", MethodType.UNARY,
                        "ReportStorageFeedback", MethodType.UNARY));
    }

    @Test
    void fieldNumbersAreNeons() {
        assertThat(fields(SafekeeperTimelineInfo.getDescriptor()))
                .containsExactlyEntriesOf(ordered(
                        "safekeeper_id",
                        1,
                        "tenant_timeline_id",
                        2,
                        "term",
                        12,
                        "last_log_term",
                        3,
                        "flush_lsn",
                        4,
                        "commit_lsn",
                        5,
                        "backup_lsn",
                        6,
                        "remote_consistent_lsn",
                        7,
                        "peer_horizon_lsn",
                        8,
                        "local_start_lsn",
                        9,
                        "standby_horizon",
                        14,
                        "safekeeper_connstr",
                        10,
                        "http_connstr",
                        13,
                        "https_connstr",
                        15,
                        "availability_zone",
                        11));
        assertThat(fields(GetPageRequest.getDescriptor()))
                .containsExactlyEntriesOf(
                        ordered("request_id", 1, "request_class", 2, "read_lsn", 3, "rel", 4, "block_number", 5));
        assertThat(GetPageRequest.getDescriptor().getFile().getPackage()).isEqualTo("page_api");
    }

    @Test
    void reactorStubsStreamOverGrpc() {
        ReactorBrokerServiceGrpc.ReactorBrokerServiceStub broker = ReactorBrokerServiceGrpc.newReactorStub(channel);
        SubscribeSafekeeperInfoRequest request = SubscribeSafekeeperInfoRequest.newBuilder()
                .setTenantTimelineId(TIMELINE.toBrokerProto())
                .build();

        List<SafekeeperTimelineInfo> infos =
                broker.subscribeSafekeeperInfo(request).collectList().block(TIMEOUT);

        assertThat(infos).extracting(SafekeeperTimelineInfo::getSafekeeperId).containsExactly(1L, 2L);
        assertThat(infos)
                .extracting(info -> TenantTimelineId.fromProto(info.getTenantTimelineId()))
                .containsOnly(TIMELINE);

        Empty done = broker.publishSafekeeperInfo(Flux.fromIterable(infos).concatWith(Flux.fromIterable(infos)))
                .block(TIMEOUT);
        assertThat(done).isEqualTo(Empty.getDefaultInstance());
        assertThat(published.get()).isEqualTo(4);
    }

    @Test
    void bidirectionalAppendCarriesTheRefusingTerm() {
        ReactorWalServiceGrpc.ReactorWalServiceStub walNode = ReactorWalServiceGrpc.newReactorStub(channel);
        Flux<AppendRequest> appends =
                Flux.just(append(5, 0x100, 0x180), append(5, 0x180, 0x200), append(4, 0x200, 0x280));

        List<AppendResponse> responses = walNode.append(appends).collectList().block(TIMEOUT);

        assertThat(responses).extracting(AppendResponse::getFlushLsn).containsExactly(0x180L, 0x200L, 0x200L);
        assertThat(responses.get(0).hasRefusal()).isFalse();
        assertThat(responses.get(2).getRefusal().getReason()).isEqualTo(RefusalReason.REFUSAL_REASON_STALE_TERM);
        assertThat(responses.get(2).getRefusal().getTerm()).isEqualTo(5);
        assertThat(NodeId.of(responses.get(2).getNodeId())).isEqualTo(new NodeId(7));
    }

    private static AppendRequest append(long term, long begin, long end) {
        return AppendRequest.newBuilder()
                .setTenantTimelineId(TIMELINE.toWalProto())
                .setTerm(term)
                .setBeginLsn(begin)
                .setEndLsn(end)
                .setWalData(com.google.protobuf.ByteString.copyFrom(new byte[(int) (end - begin)]))
                .build();
    }

    private static void assertMethods(ServiceDescriptor service, String fullName, Map<String, MethodType> methods) {
        assertThat(service.getName()).isEqualTo(fullName);
        assertThat(service.getMethods())
                .extracting(method -> method.getBareMethodName())
                .containsExactlyInAnyOrderElementsOf(methods.keySet());
        service.getMethods()
                .forEach(method -> assertThat(method.getType())
                        .as(method.getFullMethodName())
                        .isEqualTo(methods.get(method.getBareMethodName())));
    }

    private static Map<String, Integer> fields(Descriptor message) {
        return message.getFields().stream()
                .collect(Collectors.toMap(
                        FieldDescriptor::getName, FieldDescriptor::getNumber, (a, b) -> a, LinkedHashMap::new));
    }

    private static Map<String, Integer> ordered(Object... namesAndNumbers) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndNumbers.length; i += 2) {
            map.put((String) namesAndNumbers[i], (Integer) namesAndNumbers[i + 1]);
        }
        return map;
    }

    /** Streams two infos for the requested timeline, and counts what is published. */
    private static final class TinyBroker extends ReactorBrokerServiceGrpc.BrokerServiceImplBase {
        @Override
        public Flux<SafekeeperTimelineInfo> subscribeSafekeeperInfo(Mono<SubscribeSafekeeperInfoRequest> request) {
            return request.flatMapMany(r -> Flux.range(1, 2)
                    .map(id -> SafekeeperTimelineInfo.newBuilder()
                            .setSafekeeperId(id)
                            .setTenantTimelineId(r.getTenantTimelineId())
                            .setFlushLsn(0x16B5A50L)
                            .build()));
        }

        @Override
        public Mono<Empty> publishSafekeeperInfo(Flux<SafekeeperTimelineInfo> request) {
            return request.doOnNext(info -> published.incrementAndGet()).then(Mono.just(Empty.getDefaultInstance()));
        }
    }

    /** Acknowledges appends of term 5 and refuses lower terms with its own term, as a WAL node must. */
    private static final class TinyWalNode extends ReactorWalServiceGrpc.WalServiceImplBase {
        private static final long NODE_TERM = 5;

        @Override
        public Flux<AppendResponse> append(Flux<AppendRequest> requests) {
            AtomicLong flushed = new AtomicLong();
            return requests.map(request -> {
                AppendResponse.Builder response =
                        AppendResponse.newBuilder().setNodeId(7).setTerm(NODE_TERM);
                if (request.getTerm() < NODE_TERM) {
                    response.setRefusal(Refusal.newBuilder()
                            .setReason(RefusalReason.REFUSAL_REASON_STALE_TERM)
                            .setTerm(NODE_TERM)
                            .setDetail("term " + request.getTerm() + " < node term " + NODE_TERM));
                } else {
                    flushed.set(request.getEndLsn());
                }
                return response.setFlushLsn(flushed.get()).build();
            });
        }
    }
}
