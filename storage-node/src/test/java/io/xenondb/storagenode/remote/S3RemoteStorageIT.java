package io.xenondb.storagenode.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The storage contract against a real S3-protocol server (S3Mock as a process on 127.0.0.1). */
@Tag("storage-node")
class S3RemoteStorageIT extends RemoteStorageContract {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static S3MockProcess server;
    private final List<RemoteStorage> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3MockProcess.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeClients() {
        opened.forEach(RemoteStorage::close);
    }

    /** Each test gets its own prefix in the one bucket, so tests see only their own objects. */
    @Override
    RemoteStorage storage() {
        return open(server.config("run/" + PREFIXES.incrementAndGet()));
    }

    /** The generation rules against the same server. */
    @Nested
    class Generations extends GenerationsContract {
        @Override
        RemoteStorage storage() {
            return S3RemoteStorageIT.this.storage();
        }
    }

    private RemoteStorage open(RemoteStorageConfig config) {
        RemoteStorage storage = config.open();
        opened.add(storage);
        return storage;
    }

    @Test
    void serverListensOnLoopbackOnly() throws Exception {
        // /proc/net/tcp{,6}: "sl local_address rem_address st ...", addresses as hex ip:port, 0A = LISTEN.
        List<String> listeners = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(String.format(":%04X", server.httpPort()))) {
                    listeners.add(f[1]);
                }
            }
        }
        // 127.0.0.1, on an IPv4 socket or IPv4-mapped (::ffff:127.0.0.1) on an IPv6 one; never a wildcard.
        assertThat(listeners)
                .singleElement()
                .satisfies(address -> assertThat(address.substring(0, address.indexOf(':')))
                        .isIn("0100007F", "0000000000000000FFFF00000100007F"));
    }

    @Test
    void listingFollowsPagesAndStripsThePrefix() {
        RemoteStorage storage =
                open(server.config("paged/" + PREFIXES.incrementAndGet()).withMaxKeysPerListResponse(2));
        for (int i = 0; i < 5; i++) {
            storage.upload(RemoteKey.of("p/obj-" + i), new byte[i]);
        }
        assertThat(storage.list("p/"))
                .extracting(o -> o.key().value() + ":" + o.size())
                .containsExactly("p/obj-0:0", "p/obj-1:1", "p/obj-2:2", "p/obj-3:3", "p/obj-4:4");
    }

    @Test
    void configTextReachesTheServer() {
        String text = "{bucket_name='" + S3MockProcess.BUCKET + "', bucket_region='us-east-1', prefix_in_bucket='/cfg/"
                + PREFIXES.incrementAndGet() + "/', endpoint='" + server.endpoint() + "', access_key_id='a',"
                + " secret_access_key='b', timeout='20s', max_attempts=2}";
        RemoteStorage storage = open(RemoteStorageConfig.parse(text));
        storage.upload(RemoteKey.of("x"), new byte[] {5});
        assertThat(storage.download(RemoteKey.of("x"))).containsExactly(5);
    }

    @Test
    void missingBucketIsUnavailableNotAnEmptyListing() {
        RemoteStorage storage = open(new RemoteStorageConfig.S3(
                "no-such-bucket",
                "us-east-1",
                null,
                server.endpoint(),
                new RemoteStorageConfig.S3Credentials("a", "b"),
                Duration.ofSeconds(10),
                1,
                4,
                0));
        assertThatThrownBy(() -> storage.list(""))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void unreachableServerIsUnavailableQuickly() {
        int closedPort = FreePorts.allocate();
        RemoteStorage storage = open(RemoteStorageConfig.S3
                .of("b", "us-east-1", null, URI.create("http://127.0.0.1:" + closedPort))
                .withCredentials(new RemoteStorageConfig.S3Credentials("a", "b"))
                .withRetries(Duration.ofSeconds(2), 2));
        long start = System.nanoTime();
        assertThatThrownBy(() -> storage.download(RemoteKey.of("k")))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
