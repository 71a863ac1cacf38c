package io.xenondb.walnode;

import static io.xenondb.walnode.WalServiceProtos.append;
import static io.xenondb.walnode.WalServiceProtos.elect;
import static io.xenondb.walnode.WalServiceProtos.greet;
import static io.xenondb.walnode.WalServiceProtos.vote;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.xenondb.proto.wal.AppendRequest;
import io.xenondb.proto.wal.AppendResponse;
import io.xenondb.proto.wal.ElectRequest;
import io.xenondb.proto.wal.ReactorWalServiceGrpc;
import io.xenondb.proto.wal.ReactorWalServiceGrpc.ReactorWalServiceStub;
import io.xenondb.proto.wal.ReadWalRequest;
import io.xenondb.proto.wal.ReadWalResponse;
import io.xenondb.proto.wal.TermHistory;
import io.xenondb.proto.wal.TermStart;
import io.xenondb.proto.wal.VoteResponse;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.client.WalNodeClient;
import io.xenondb.shared.client.walnode.TimelineStatus;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import io.xenondb.walnode.storage.FileControlStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The WAL node as other modules and operators start it: {@code java -cp <classpath>
 * io.xenondb.walnode.WalNodeApplication} with flags, killed with SIGKILL and restarted on the same data
 * directory.
 */
@Tag("wal-service")
class WalNodeProcessIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern GRPC = Pattern.compile("serving gRPC \\(xenon.wal.WalService\\) on (\\S+)");
    private static final Pattern HTTP = Pattern.compile("serving HTTP \\(API, /metrics, /health\\) on (\\S+)");

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "wal-node-process-it-");

    WalNodeProcessIT() throws IOException {}

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void flushedWalSurvivesKillMinusNineAndTheNodeGoesOn() throws Exception {
        PgWal sample = PgWal.sample();
        long start = sample.start().value();
        Path datadir = work.resolve("node");
        TenantTimelineId timeline = new TenantTimelineId(TenantId.generate(), TimelineId.generate());
        List<PgWal.Chunk> chunks = sample.chunks(64 * 1024);
        List<PgWal.Chunk> written = chunks.subList(0, Math.min(8, chunks.size() - 1));
        long end = written.getLast().end().value();
        long committed = written.get(written.size() / 2).end().value();

        Process node = startNode(3, datadir);
        writeInTermOne(node, timeline, Lsn.of(start), written, Lsn.of(committed));

        node.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        assertThat(node.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Process restarted = startNode(3, datadir);
        ListenAddress grpcAgain = ListenAddress.parse(await(restarted, GRPC));
        ListenAddress http = ListenAddress.parse(await(restarted, HTTP));
        try (WalNodeClient client = new WalNodeClient(http)) {
            TimelineStatus status = client.timelineStatus(timeline);
            assertThat(status.flushLsn()).isEqualTo(Lsn.of(end));
            assertThat(status.acceptorState().term()).isEqualTo(Term.of(1));
            assertThat(status.commitLsn().value()).isBetween(start, committed);
        }
        ManagedChannel channel = WalNodeChannels.open(grpcAgain);
        try {
            ReactorWalServiceStub wal = ReactorWalServiceGrpc.newReactorStub(channel);
            // A new proposer (term 2) finds all the flushed WAL, reads it back and continues after it.
            VoteResponse vote = wal.vote(vote(timeline, 2)).block(TIMEOUT);
            assertThat(vote.getVoteGiven()).isTrue();
            assertThat(vote.getFlushLsn()).isEqualTo(end);
            List<ReadWalResponse> recovered = wal.readWal(ReadWalRequest.newBuilder()
                            .setTenantTimelineId(timeline.toWalProto())
                            .setStartLsn(start)
                            .setEndLsn(end)
                            .setRecoveryTerm(2)
                            .build())
                    .collectList()
                    .block(TIMEOUT);
            ByteString bytes =
                    recovered.stream().map(r -> r.getChunk().getWalData()).reduce(ByteString.EMPTY, ByteString::concat);
            assertThat(bytes).isEqualTo(sample.bytes(Lsn.of(start), Lsn.of(end)));

            ElectRequest elect = ElectRequest.newBuilder()
                    .setTenantTimelineId(timeline.toWalProto())
                    .setTerm(2)
                    .setTermStartLsn(end)
                    .setTermHistory(TermHistory.newBuilder()
                            .addEntries(TermStart.newBuilder().setTerm(1).setStartLsn(start))
                            .addEntries(TermStart.newBuilder().setTerm(2).setStartLsn(end)))
                    .setStartStreamingAt(end)
                    .build();
            assertThat(wal.elect(elect).block(TIMEOUT).hasRefusal()).isFalse();
            PgWal.Chunk next = chunks.get(written.size());
            AppendResponse continued = wal.append(Flux.just(append(timeline, 2, end, next.bytes(), end))
                            .concatWith(Flux.never()))
                    .blockFirst(TIMEOUT);
            assertThat(continued.getFlushLsn()).isEqualTo(next.end().value());
            assertThat(continued.getCommitLsn()).isEqualTo(end);
        } finally {
            WalNodeChannels.close(channel, Duration.ofSeconds(2));
        }

        restarted.destroy(); // SIGTERM: the operator's stop
        assertThat(restarted.waitFor(30, TimeUnit.SECONDS))
                .as("stops on SIGTERM")
                .isTrue();
    }

    @Test
    void tornTailsOfTheWalAndTheControlLogAreCutToTheIntactPrefixWhenTheNodeRestarts() throws Exception {
        PgWal sample = PgWal.sample();
        long start = sample.start().value();
        Path datadir = work.resolve("torn");
        TenantTimelineId timeline = new TenantTimelineId(TenantId.generate(), TimelineId.generate());
        List<PgWal.Chunk> written = sample.chunks(64 * 1024).subList(0, 6);
        Lsn end = written.getLast().end();
        Lsn committed = written.get(2).end();

        Process node = startNode(4, datadir);
        writeInTermOne(node, timeline, Lsn.of(start), written, committed);
        node.destroyForcibly();
        assertThat(node.waitFor(10, TimeUnit.SECONDS)).isTrue();

        // Damage as a crash can: the last records half written (zeroed from the middle of the last chunk),
        // junk after that, and a control log whose last record is torn (a zeroed length, then junk).
        Path timelineDir = datadir.resolve(timeline.tenantId().toString())
                .resolve(timeline.timelineId().toString());
        Lsn cut = written.getLast().begin().plus(written.getLast().size() / 2);
        Lsn intact = sample.lastRecordEndAtOrBefore(cut);
        assertThat(intact).isGreaterThan(committed).isLessThan(end);
        Path segment = timelineDir.resolve(WalSegmentName.of(1, cut).toString());
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate((int) end.minus(cut)), cut.segmentOffset());
            byte[] junk = new byte[3000];
            new Random(7).nextBytes(junk);
            file.write(ByteBuffer.wrap(junk), end.segmentOffset());
        }
        Path controlLog = timelineDir.resolve(FileControlStore.FILE_NAME);
        Files.write(controlLog, new byte[] {0, 0, 0, 0, 17, 42, 99}, StandardOpenOption.APPEND);

        Process restarted = startNode(4, datadir);
        ListenAddress http = ListenAddress.parse(await(restarted, HTTP));
        try (WalNodeClient client = new WalNodeClient(http)) {
            TimelineStatus status = client.timelineStatus(timeline);
            assertThat(status.flushLsn()).isEqualTo(intact);
            assertThat(status.acceptorState().term()).isEqualTo(Term.of(1));
        }
        // The intact prefix is byte for byte the compute's WAL, and everything after it is zero on disk.
        ByteBuffer onDisk = ByteBuffer.wrap(Files.readAllBytes(segment));
        for (PgWal.Chunk chunk : written) {
            if (chunk.begin().isBefore(intact) && chunk.begin().segmentNumber() == cut.segmentNumber()) {
                Lsn to = Lsn.min(chunk.end(), intact);
                byte[] expected = sample.bytes(chunk.begin(), to).toByteArray();
                byte[] actual = new byte[expected.length];
                onDisk.get((int) chunk.begin().segmentOffset(), actual);
                assertThat(actual).as("bytes from %s", chunk.begin()).isEqualTo(expected);
            }
        }
        for (long offset = intact.segmentOffset(); offset < end.segmentOffset() + 3000; offset++) {
            assertThat(onDisk.get((int) offset)).as("byte at offset %d", offset).isZero();
        }
        restarted.destroy();
        assertThat(restarted.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Elects term 1 on the node, appends {@code written} with {@code committed} as commit LSN, waits for the flush. */
    private void writeInTermOne(
            Process node, TenantTimelineId timeline, Lsn start, List<PgWal.Chunk> written, Lsn committed)
            throws IOException, InterruptedException {
        long end = written.getLast().end().value();
        ManagedChannel channel = WalNodeChannels.open(ListenAddress.parse(await(node, GRPC)));
        try {
            ReactorWalServiceStub wal = ReactorWalServiceGrpc.newReactorStub(channel);
            wal.greet(greet(timeline, start.value())).block(TIMEOUT);
            assertThat(wal.vote(vote(timeline, 1)).block(TIMEOUT).getVoteGiven())
                    .isTrue();
            assertThat(wal.elect(elect(timeline, 1, start.value()))
                            .block(TIMEOUT)
                            .hasRefusal())
                    .isFalse();
            List<AppendRequest> appends = new ArrayList<>();
            for (PgWal.Chunk chunk : written) {
                appends.add(append(timeline, 1, chunk.begin().value(), chunk.bytes(), committed.value()));
            }
            AppendResponse acked = wal.append(Flux.fromIterable(appends).concatWith(Flux.never()))
                    .filter(response -> response.getFlushLsn() >= end)
                    .blockFirst(TIMEOUT);
            assertThat(acked.getFlushLsn()).isEqualTo(end);
        } finally {
            WalNodeChannels.close(channel, Duration.ofSeconds(2));
        }
    }

    private Process startNode(int id, Path datadir) throws IOException {
        return start(
                "--id",
                String.valueOf(id),
                "-D",
                datadir.toString(),
                "--listen-grpc",
                "127.0.0.1:0",
                "--listen-http",
                "127.0.0.1:0",
                "--disable-periodic-broker-push");
    }

    @Test
    void badCommandLinesFailWithOneLine() throws Exception {
        Process typo = start("--id", "1", "--listen-grcp", "127.0.0.1:0");
        assertThat(typo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(typo.exitValue()).isEqualTo(2);
        assertThat(stderr(typo))
                .startsWith("wal-node: unknown flag --listen-grcp (expected one of: --id, ")
                .hasLineCount(1);

        Process badAddress = start("--id", "1", "-D", work.resolve("a").toString(), "--listen-grpc", "127.0.0.1:grpc");
        assertThat(badAddress.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(badAddress.exitValue()).isEqualTo(1);
        assertThat(stderr(badAddress))
                .isEqualTo("wal-node: failed to start: invalid --listen-grpc '127.0.0.1:grpc': address: 127.0.0.1:grpc"
                        + " (expected: host:port with port 0..65535, e.g. 127.0.0.1:50051 or [::1]:50051)\n");
        assertThat(stdout(badAddress)).doesNotContain("\tat ");

        Process noId = start(
                "-D", work.resolve("b").toString(), "--listen-grpc", "127.0.0.1:0", "--listen-http", "127.0.0.1:0");
        assertThat(noId.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stderr(noId))
                .startsWith("wal-node: failed to start: --id: missing (expected: this WAL node's id")
                .hasLineCount(1);

        Path shared = work.resolve("shared");
        Process first = start(
                "--id",
                "1",
                "-D",
                shared.toString(),
                "--listen-grpc",
                "127.0.0.1:0",
                "--listen-http",
                "127.0.0.1:0",
                "--disable-periodic-broker-push");
        await(first, GRPC);
        Process second = start(
                "--id",
                "1",
                "-D",
                shared.toString(),
                "--listen-grpc",
                "127.0.0.1:0",
                "--listen-http",
                "127.0.0.1:0",
                "--disable-periodic-broker-push");
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stderr(second)).contains("is in use by another WAL node").hasLineCount(1);
        first.destroy();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Process otherId = start(
                "--id", "2", "-D", shared.toString(), "--listen-grpc", "127.0.0.1:0", "--listen-http", "127.0.0.1:0");
        assertThat(otherId.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stderr(otherId))
                .startsWith("wal-node: failed to start: --id 2 but datadir " + shared + " belongs to WAL node 1")
                .hasLineCount(1);
    }

    private Process start(String... flags) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx192m");
        command.add("-XX:TieredStopAtLevel=1"); // a faster start; these processes live for seconds
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WalNodeApplication.class.getName());
        command.addAll(List.of(flags));
        // Output goes to files: a pipe read by a thread can lose what the process writes just before it exits.
        Path log = work.resolve("process-" + processes.size());
        logs.add(log);
        Process process = new ProcessBuilder(command)
                .redirectOutput(Path.of(log + ".out").toFile())
                .redirectError(Path.of(log + ".err").toFile())
                .start();
        processes.add(process);
        return process;
    }

    private String stdout(Process process) throws IOException {
        return Files.readString(Path.of(logs.get(processes.indexOf(process)) + ".out"));
    }

    private String stderr(Process process) throws IOException {
        return Files.readString(Path.of(logs.get(processes.indexOf(process)) + ".err"));
    }

    /** The first group of the first stdout line matching {@code pattern}. */
    private String await(Process process, Pattern pattern) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String output = stdout(process);
            Matcher matcher = pattern.matcher(output);
            if (matcher.find()) {
                return matcher.group(1);
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no line matching " + pattern + " in:\n" + output + stderr(process));
            }
            Thread.sleep(20);
        }
    }
}
