package io.xenondb.walnode;

import static io.xenondb.walnode.WalServiceProtos.append;
import static io.xenondb.walnode.WalServiceProtos.elect;
import static io.xenondb.walnode.WalServiceProtos.greet;
import static io.xenondb.walnode.WalServiceProtos.read;
import static io.xenondb.walnode.WalServiceProtos.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.proto.wal.AppendRequest;
import io.xenondb.proto.wal.AppendResponse;
import io.xenondb.proto.wal.GetTimelineStatusRequest;
import io.xenondb.proto.wal.ReactorWalServiceGrpc;
import io.xenondb.proto.wal.ReactorWalServiceGrpc.ReactorWalServiceStub;
import io.xenondb.proto.wal.ReadWalResponse;
import io.xenondb.proto.wal.RefusalReason;
import io.xenondb.proto.wal.VoteResponse;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.client.WalNodeClient;
import io.xenondb.shared.client.walnode.TermBumpResponse;
import io.xenondb.shared.client.walnode.TermSwitchEntry;
import io.xenondb.shared.client.walnode.TimelineCreateRequest;
import io.xenondb.shared.client.walnode.TimelineStatus;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.config.WalNodeEndpoints;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** One WAL node in-process for the class; every test uses its own timeline, through real gRPC and HTTP. */
@Tag("wal-service")
class WalNodeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Where every test's timeline starts: where the sample of real WAL starts. */
    private static long START;

    private static FakeBroker broker;
    private static ConfigurableApplicationContext node;
    private static ManagedChannel channel;
    private static ReactorWalServiceStub wal;
    private static WalNodeClient client;
    private static ListenAddress grpcAddress;
    private static ListenAddress httpAddress;
    private static HttpClient http;

    /** Real WAL, record by record: the file store takes nothing else. */
    private final PgWal.Cursor pg = PgWal.sample().cursor();

    @BeforeAll
    static void startNode() throws Exception {
        START = PgWal.sample().start().value();
        broker = new FakeBroker(0);
        Path datadir = Files.createTempDirectory(Path.of("target"), "wal-node-it-");
        node = WalNodeApplication.start(
                "--id", "7",
                "-D", datadir.toString(),
                "--listen-grpc", "127.0.0.1:0",
                "--listen-http", "127.0.0.1:0",
                "--broker-endpoint", "http://" + broker.address(),
                "--availability-zone", "az-1");
        grpcAddress = node.getBean(WalNodeEndpoints.class).grpc();
        httpAddress = node.getBean(WalNodeEndpoints.class).http();
        channel = WalNodeChannels.open(grpcAddress);
        wal = ReactorWalServiceGrpc.newReactorStub(channel);
        client = new WalNodeClient(httpAddress);
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (client != null) {
            client.close();
            http.close();
        }
        if (channel != null) {
            WalNodeChannels.close(channel, Duration.ofSeconds(5));
        }
        if (node != null) {
            node.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void electedProposerAppendsAndReadersSeeExactlyTheCommittedWalThenFollowTheTail() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        ByteString a = pg.next(3000);
        ByteString b = pg.next(5000);
        ByteString c = pg.next(700);

        Appender appender = new Appender(timeline);
        appender.send(append(timeline, 1, START, a, START));
        AppendResponse first = appender.next();
        assertThat(first.getFlushLsn()).isEqualTo(START + a.size());
        assertThat(first.getCommitLsn()).isEqualTo(START);
        assertThat(first.getTerm()).isEqualTo(1);
        assertThat(first.hasRefusal()).isFalse();

        appender.send(append(timeline, 1, START + a.size(), b, START + a.size()));
        AppendResponse second = appender.awaitFlush(START + a.size() + b.size());
        assertThat(second.getCommitLsn()).isEqualTo(START + a.size());

        // Only [START, START+|a|) is committed: a reader gets exactly a, then waits at the commit LSN.
        Reader reader = new Reader(timeline, START, 0);
        assertThat(reader.await(a.size())).isEqualTo(a);
        Thread.sleep(200);
        assertThat(reader.received()).isEqualTo(a);

        // The commit LSN moves (a heartbeat carries it): the waiting reader follows the tail.
        appender.send(append(timeline, 1, START + a.size() + b.size(), c, START + a.size() + b.size()));
        appender.awaitFlush(START + a.size() + b.size() + c.size());
        assertThat(reader.await(a.size() + b.size())).isEqualTo(a.concat(b));
        reader.close();
        appender.close();
    }

    @Test
    void readWithAnEndLsnCompletesThere() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        ByteString data = pg.next(300_000); // more than two read chunks
        Appender appender = new Appender(timeline);
        long position = START;
        for (int offset = 0; offset < data.size(); offset += 100_000) {
            ByteString piece = data.substring(offset, Math.min(data.size(), offset + 100_000));
            appender.send(append(timeline, 1, position, piece, position));
            position += piece.size();
        }
        appender.send(append(timeline, 1, position, ByteString.EMPTY, position)); // heartbeat: commit all
        appender.awaitCommit(position);

        List<ReadWalResponse> chunks = wal.readWal(read(timeline, START + 10, START + 250_000))
                .collectList()
                .block(TIMEOUT);

        ByteString read =
                chunks.stream().map(r -> r.getChunk().getWalData()).reduce(ByteString.EMPTY, ByteString::concat);
        assertThat(read).isEqualTo(data.substring(10, 250_000));
        assertThat(chunks.getFirst().getChunk().getBeginLsn()).isEqualTo(START + 10);
        appender.close();
    }

    @Test
    void anAppendOfALowerTermIsRefusedWithTheNodesTerm() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        VoteResponse newer = wal.vote(vote(timeline, 5)).block(TIMEOUT);
        assertThat(newer.getVoteGiven()).isTrue();

        Appender appender = new Appender(timeline);
        appender.send(append(timeline, 1, START, pg.next(100), START));
        AppendResponse refused = appender.next();

        assertThat(refused.getRefusal().getReason()).isEqualTo(RefusalReason.REFUSAL_REASON_STALE_TERM);
        assertThat(refused.getRefusal().getTerm()).isEqualTo(5);
        assertThat(refused.getTerm()).isEqualTo(5);
        assertThat(refused.getFlushLsn()).isEqualTo(START);
        appender.awaitCompletion();
    }

    @Test
    void pipelinedAppendsShareFsyncs() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        WalNodeMetrics metrics = node.getBean(WalNodeMetrics.class);
        long fsyncsBefore = metrics.fsyncCount();
        long writesBefore = metrics.writeCount();

        Appender appender = new Appender(timeline);
        int appends = 200;
        long position = START;
        for (int i = 0; i < appends; i++) {
            ByteString piece = pg.next(8192);
            appender.send(append(timeline, 1, position, piece, position));
            position += piece.size();
        }
        appender.awaitFlush(position);

        long writes = metrics.writeCount() - writesBefore;
        long fsyncs = metrics.fsyncCount() - fsyncsBefore;
        assertThat(writes).isEqualTo(appends);
        assertThat(fsyncs).isPositive().isLessThan(appends);
        appender.close();
    }

    @Test
    void unknownTimelinesAndMalformedIdsAreTypedStatuses() {
        TenantTimelineId unknown = new TenantTimelineId(TenantId.generate(), TimelineId.generate());

        assertThatThrownBy(() -> wal.vote(vote(unknown, 1)).block(TIMEOUT))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains(unknown.toString());
                });
        assertThatThrownBy(() -> wal.getTimelineStatus(GetTimelineStatusRequest.newBuilder()
                                .setTenantTimelineId(io.xenondb.proto.wal.TenantTimelineId.newBuilder()
                                        .setTenantId(ByteString.copyFromUtf8("short")))
                                .build())
                        .block(TIMEOUT))
                .satisfies(e ->
                        assertThat(GrpcErrors.toXenonException(e).getMessage()).startsWith("tenant_id: "));
        assertThatThrownBy(() -> Flux.from(wal.append(Flux.just(append(unknown, 1, START, pg.next(10), START))))
                        .blockLast(TIMEOUT))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void aMalformedAppendEndsItsStreamWithTheReasonAndTheTimelineGoesOn() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        ByteString data = pg.next(2000);
        Appender bad = new Appender(timeline);
        bad.send(append(timeline, 1, START, data, START).toBuilder()
                .setEndLsn(START + 1)
                .build());

        StatusRuntimeException error = bad.awaitError();
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).startsWith("append: [");

        Appender good = new Appender(timeline);
        good.send(append(timeline, 1, START, data, START));
        assertThat(good.awaitFlush(START + data.size()).getFlushLsn()).isEqualTo(START + data.size());
        good.close();
    }

    @Test
    void everyHttpRouteThroughTheClient() throws Exception {
        assertThat(client.status().id()).isEqualTo(NodeId.of(7));
        TenantTimelineId timeline = new TenantTimelineId(TenantId.generate(), TimelineId.generate());
        Lsn start = Lsn.of(START);

        client.createTimeline(TimelineCreateRequest.of(timeline, WalServiceProtos.PG_VERSION, start));
        client.createTimeline(TimelineCreateRequest.of(timeline, WalServiceProtos.PG_VERSION, start)); // idempotent
        TimelineStatus created = client.timelineStatus(timeline);
        assertThat(created.timeline()).isEqualTo(timeline);
        assertThat(created.flushLsn()).isEqualTo(start);
        assertThat(created.commitLsn()).isEqualTo(start);
        assertThat(created.timelineStartLsn()).isEqualTo(start);
        assertThat(created.acceptorState().term()).isEqualTo(Term.ZERO);
        assertThat(created.pgInfo().pgVersion()).isEqualTo(WalServiceProtos.PG_VERSION);
        assertThat(created.pgInfo().walSegSize()).isEqualTo(WalServiceProtos.WAL_SEG_SIZE);
        assertThat(client.listTimelines()).contains(timeline);

        // A proposer of term 1 writes and commits some WAL: the HTTP view follows.
        elected(timeline, 1);
        ByteString data = pg.next(1000);
        Appender appender = new Appender(timeline);
        appender.send(append(timeline, 1, START, data, START));
        appender.send(append(timeline, 1, START + data.size(), ByteString.EMPTY, START + data.size()));
        appender.awaitCommit(START + data.size());
        TimelineStatus written = client.timelineStatus(timeline);
        assertThat(written.flushLsn()).isEqualTo(start.plus(data.size()));
        assertThat(written.commitLsn()).isEqualTo(start.plus(data.size()));
        assertThat(written.acceptorState().term()).isEqualTo(Term.of(1));
        assertThat(written.acceptorState().epoch()).isEqualTo(Term.of(1));
        assertThat(written.acceptorState().termHistory()).containsExactly(new TermSwitchEntry(Term.of(1), start));
        assertThat(written.walreceivers()).hasSize(1);

        TermBumpResponse byOne = client.bumpTimelineTerm(timeline);
        assertThat(byOne.previousTerm()).isEqualTo(Term.of(1));
        assertThat(byOne.currentTerm()).isEqualTo(Term.of(2));
        assertThat(client.bumpTimelineTerm(timeline, Optional.of(Term.of(10))).currentTerm())
                .isEqualTo(Term.of(10));
        TermBumpResponse lower = client.bumpTimelineTerm(timeline, Optional.of(Term.of(3)));
        assertThat(lower.previousTerm()).isEqualTo(Term.of(10));
        assertThat(lower.currentTerm()).isEqualTo(Term.of(10));
        // The bumped term fences the old proposer off.
        appender.send(append(timeline, 1, START + data.size(), pg.next(10), START));
        assertThat(appender.next().getRefusal().getTerm()).isEqualTo(10);

        assertThat(client.deleteTimeline(timeline).dirExisted()).isTrue();
        assertThatThrownBy(() -> client.timelineStatus(timeline)).isInstanceOfSatisfying(XenonException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.getMessage()).contains(timeline.toString());
        });
        assertThat(client.deleteTimeline(timeline).dirExisted()).isFalse();

        TenantId tenant = TenantId.generate();
        TenantTimelineId first = new TenantTimelineId(tenant, TimelineId.generate());
        TenantTimelineId second = new TenantTimelineId(tenant, TimelineId.generate());
        client.createTimeline(TimelineCreateRequest.of(first, WalServiceProtos.PG_VERSION, start));
        client.createTimeline(TimelineCreateRequest.of(second, WalServiceProtos.PG_VERSION, start));
        assertThat(client.deleteTenant(tenant))
                .containsOnlyKeys(first.timelineId(), second.timelineId())
                .allSatisfy((id, result) -> assertThat(result.dirExisted()).isTrue());
        assertThat(client.listTimelines()).doesNotContain(first, second);
        assertThat(client.deleteTenant(tenant)).isEmpty();
    }

    @Test
    void badHttpInputIsA4xxNamingWhatWasWrong() throws Exception {
        TenantTimelineId timeline = new TenantTimelineId(TenantId.generate(), TimelineId.generate());
        String valid = "{\"tenant_id\":\"" + timeline.tenantId() + "\",\"timeline_id\":\"" + timeline.timelineId()
                + "\",\"pg_version\":170005,\"start_lsn\":\"0/2000000\"}";

        assertError(post("/v1/tenant/timeline", "{\"tenant_id\": "), 400, "malformed JSON body");
        assertError(post("/v1/tenant/timeline", ""), 400, "body: missing");
        assertError(
                post("/v1/tenant/timeline", valid.replace("0/2000000", "0/ZZ")),
                400,
                "start_lsn: lsn: 0/ZZ (expected: X/X hex");
        assertError(
                post("/v1/tenant/timeline", valid.replace(timeline.tenantId().toString(), "xyz")),
                400,
                "tenant_id: xyz (expected: ");
        assertError(
                post("/v1/tenant/timeline", valid.replace(",\"pg_version\":170005", "")), 400, "pg_version: missing");
        assertError(
                post("/v1/tenant/timeline", valid.replace("170005", "\"seventeen\"")),
                400,
                "malformed JSON body at pg_version");
        assertError(
                post("/v1/tenant/timeline", valid.replace("170005", "170005, \"wal_seg_size\": 1000")),
                400,
                "wal_seg_size: 1000 (expected: a power of two");
        assertError(
                request("GET", "/v1/tenant/nothex/timeline/" + timeline.timelineId(), null),
                400,
                "tenant_id: nothex (expected: ");
        assertError(
                request("GET", "/v1/tenant/" + timeline.tenantId() + "/timeline/" + timeline.timelineId(), null),
                404,
                "timeline " + timeline + " is not on WAL node 7");
        assertError(
                post("/v1/tenant/" + timeline.tenantId() + "/timeline/" + timeline.timelineId() + "/term_bump", "{}"),
                404,
                "timeline " + timeline);
        assertError(request("GET", "/v1/no/such/route", null), 404, "GET /v1/no/such/route: ");
        assertError(request("PUT", "/v1/status", "{}"), 405, "PUT /v1/status: ");

        // The valid request still works after all that, whatever content type it claims (curl -d sends a form's).
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create("http://" + httpAddress + "/v1/tenant/timeline"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(valid))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(client.timelineStatus(timeline).timelineStartLsn()).isEqualTo(Lsn.parse("0/2000000"));
        assertError(
                post(
                        "/v1/tenant/" + timeline.tenantId() + "/timeline/" + timeline.timelineId() + "/term_bump",
                        "{\"term\": -1}"),
                400,
                "term: ");
        client.deleteTimeline(timeline);
    }

    @Test
    void metricsHaveTheSafekeeperSeries() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        Appender appender = new Appender(timeline);
        ByteString data = pg.next(4096);
        appender.send(append(timeline, 1, START, data, START));
        appender.awaitFlush(START + data.size());
        appender.close();

        HttpResponse<String> metrics = request("GET", "/metrics", null);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("safekeeper_flush_wal_seconds_count")
                .contains("safekeeper_flush_wal_seconds_bucket")
                .contains("safekeeper_write_wal_bytes_count")
                .contains("safekeeper_write_wal_seconds_count")
                .contains("safekeeper_timelines ")
                .contains("safekeeper_wal_receivers")
                .contains("safekeeper_flush_lsn{tenant_id=\"" + timeline.tenantId() + "\",timeline_id=\""
                        + timeline.timelineId() + "\"} " + (double) (START + data.size()))
                .contains("safekeeper_commit_lsn{")
                .contains("safekeeper_acceptor_term{");
        assertThat(request("GET", "/health", null).body()).contains("\"status\":\"UP\"");
        assertThat(request("GET", "/health/readiness", null).statusCode()).isEqualTo(200);
    }

    @Test
    void timelineStateReachesTheBrokerEverySecond() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 3);

        SafekeeperTimelineInfo info = broker.await(
                i -> TenantTimelineId.fromProto(i.getTenantTimelineId()).equals(timeline) && i.getLastLogTerm() == 3,
                Duration.ofSeconds(5));

        assertThat(info.getSafekeeperId()).isEqualTo(7);
        assertThat(info.getTerm()).isEqualTo(3);
        assertThat(info.getFlushLsn()).isEqualTo(START);
        assertThat(info.getCommitLsn()).isEqualTo(START);
        assertThat(info.getLocalStartLsn()).isEqualTo(START);
        assertThat(info.getSafekeeperConnstr()).isEqualTo(grpcAddress.toString());
        assertThat(info.getHttpConnstr()).isEqualTo(httpAddress.toString());
        assertThat(info.getAvailabilityZone()).isEqualTo("az-1");
        // About once a second: the next update of the same timeline comes within ~1 s.
        long before = System.nanoTime();
        broker.await(i -> TenantTimelineId.fromProto(i.getTenantTimelineId()).equals(timeline), Duration.ofSeconds(3));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aBrokerOutageDoesNotStopWalAcceptanceAndPublishingResumes() throws Exception {
        int port = broker.address().port();
        broker.close();
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        Appender appender = new Appender(timeline);
        long end = START + pg.next(100).size();
        appender.send(append(timeline, 1, START, PgWal.sample().bytes(Lsn.of(START), Lsn.of(end)), START));
        appender.send(append(timeline, 1, end, ByteString.EMPTY, end));
        assertThat(appender.awaitCommit(end).getFlushLsn()).isEqualTo(end);
        appender.close();

        broker = new FakeBroker(port);
        SafekeeperTimelineInfo info = broker.await(
                i -> TenantTimelineId.fromProto(i.getTenantTimelineId()).equals(timeline), Duration.ofSeconds(10));
        assertThat(info.getCommitLsn()).isEqualTo(end);
    }

    @Test
    void deletingATimelineEndsItsOpenStreams() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        Appender appender = new Appender(timeline);
        ByteString data = pg.next(100);
        appender.send(append(timeline, 1, START, data, START));
        appender.awaitFlush(START + data.size());
        Reader reader = new Reader(timeline, START, 0);

        client.deleteTimeline(timeline);

        assertThat(appender.awaitError().getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(reader.awaitError().getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    // ---- helpers ----

    private TenantTimelineId newTimeline() {
        TenantTimelineId timeline = new TenantTimelineId(TenantId.generate(), TimelineId.generate());
        var greeting = wal.greet(greet(timeline, START)).block(TIMEOUT);
        assertThat(greeting.getNodeId()).isEqualTo(7);
        return timeline;
    }

    private void elected(TenantTimelineId timeline, long term) {
        VoteResponse vote = wal.vote(vote(timeline, term)).block(TIMEOUT);
        assertThat(vote.getVoteGiven()).isTrue();
        assertThat(vote.getFlushLsn()).isEqualTo(START);
        var elected = wal.elect(elect(timeline, term, START)).block(TIMEOUT);
        assertThat(elected.hasRefusal())
                .as("elect refused: %s", elected.getRefusal())
                .isFalse();
        assertThat(elected.getFlushLsn()).isEqualTo(START);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return request("POST", path, body);
    }

    private static HttpResponse<String> request(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + httpAddress + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String msgPrefix) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).startsWith("{\"msg\":\"" + msgPrefix.replace("\"", "\\\""));
    }

    /** One Append stream driven step by step. */
    private final class Appender {
        private final Sinks.Many<AppendRequest> requests =
                Sinks.many().unicast().onBackpressureBuffer();
        private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
        private final Disposable subscription;

        Appender(TenantTimelineId timeline) {
            subscription = wal.append(requests.asFlux())
                    .subscribe(responses::add, responses::add, () -> responses.add("completed"));
        }

        void send(AppendRequest request) {
            requests.emitNext(request, Sinks.EmitFailureHandler.busyLooping(TIMEOUT));
        }

        AppendResponse next() throws InterruptedException {
            Object next = responses.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("append response").isInstanceOf(AppendResponse.class);
            return (AppendResponse) next;
        }

        AppendResponse awaitFlush(long lsn) throws InterruptedException {
            while (true) {
                AppendResponse response = next();
                if (response.getFlushLsn() >= lsn) {
                    return response;
                }
            }
        }

        AppendResponse awaitCommit(long lsn) throws InterruptedException {
            while (true) {
                AppendResponse response = next();
                if (response.getCommitLsn() >= lsn) {
                    return response;
                }
            }
        }

        StatusRuntimeException awaitError() throws InterruptedException {
            while (true) {
                Object next = responses.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(next).as("append stream end").isNotNull().isNotEqualTo("completed");
                if (next instanceof StatusRuntimeException error) {
                    return error;
                }
            }
        }

        void awaitCompletion() throws InterruptedException {
            assertThat(responses.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo("completed");
        }

        void close() {
            requests.tryEmitComplete();
            subscription.dispose();
        }
    }

    /** One ReadWal stream collecting its bytes. */
    private final class Reader {
        private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        private volatile ByteString received = ByteString.EMPTY;
        private final Disposable subscription;

        Reader(TenantTimelineId timeline, long start, long end) {
            subscription = wal.readWal(read(timeline, start, end))
                    .subscribe(
                            response -> {
                                synchronized (this) {
                                    assertThat(response.getChunk().getBeginLsn())
                                            .isEqualTo(start + received.size());
                                    received =
                                            received.concat(response.getChunk().getWalData());
                                }
                            },
                            errors::add);
        }

        ByteString received() {
            return received;
        }

        ByteString await(int size) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received.size() < size && System.nanoTime() < deadline && errors.isEmpty()) {
                Thread.sleep(5);
            }
            assertThat(errors).as("reader errors").isEmpty();
            return received;
        }

        StatusRuntimeException awaitError() throws InterruptedException {
            Throwable error = errors.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(error).isInstanceOf(StatusRuntimeException.class);
            return (StatusRuntimeException) error;
        }

        void close() {
            subscription.dispose();
        }
    }
}
