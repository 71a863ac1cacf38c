package io.xenondb.storagenode.upcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.remote.AttachmentMode;
import io.xenondb.storagenode.remote.IndexPart;
import io.xenondb.storagenode.remote.IssuedGenerations;
import io.xenondb.storagenode.remote.LayerFileMetadata;
import io.xenondb.storagenode.remote.LocalDirectoryRemoteStorage;
import io.xenondb.storagenode.remote.RemotePaths;
import io.xenondb.storagenode.remote.RemoteStorage;
import io.xenondb.storagenode.remote.RemoteTimelineClient;
import io.xenondb.storagenode.remote.TimelineMetadata;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Remote deletions gated by the validate upcall: a stand-in controller answers from a real generation issuer, so
 * a superseded generation's deletions are refused (the objects stay) and the current one's go through.
 */
class ValidatedDeletionTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private final IssuedGenerations issued = new IssuedGenerations();
    private final TenantShardId shard = TenantShardId.unsharded(TenantId.generate());
    private final TimelineId timeline = TimelineId.generate();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private ControlPlaneClient controller() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/upcall/v1/validate", exchange -> {
            JsonNode asked = JSON.readTree(exchange.getRequestBody().readAllBytes())
                    .get("tenants")
                    .get(0);
            TenantShardId id = TenantShardId.parse(asked.get("id").asString());
            boolean valid = issued.isCurrent(id, Generation.of(asked.get("gen").asLong()));
            byte[] body = JSON.writeValueAsBytes(
                    Map.of("tenants", java.util.List.of(Map.of("id", id.toString(), "valid", valid))));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return client(server.getAddress().getPort());
    }

    private static ControlPlaneClient client(int port) {
        return new ControlPlaneClient(
                URI.create("http://127.0.0.1:" + port + "/upcall/v1/"), Optional.empty(), Duration.ofSeconds(5));
    }

    private Path file(String content) throws Exception {
        Path path = temp.resolve("f-" + System.nanoTime());
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path;
    }

    @Test
    void aStaleGenerationsDeletionsAreRefusedByTheController() throws Exception {
        RemoteStorage storage = new LocalDirectoryRemoteStorage(temp.resolve("remote"));
        ControlPlaneClient validator = controller();
        Generation g1 = issued.attach(shard);
        RemoteTimelineClient first =
                new RemoteTimelineClient(storage, shard, timeline, g1, validator, () -> AttachmentMode.SINGLE);
        LayerFileMetadata a = first.upload("layer_a", file("a"));
        first.uploadIndex(IndexPart.of(
                Map.of("layer_a", a),
                new TimelineMetadata(
                        Lsn.parse("0/2000000"), null, null, null, Lsn.parse("0/1000000"), Lsn.parse("0/14EE150"), 17)));

        Generation g2 = issued.attach(shard);
        assertThatThrownBy(() -> first.delete(Map.of("layer_a", a)))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("stale");
        assertThat(storage.exists(RemotePaths.objectKey(shard, timeline, "layer_a", g1)))
                .isTrue();

        // A controller that does not answer: nothing is deleted either.
        RemoteTimelineClient unanswered = new RemoteTimelineClient(
                storage, shard, timeline, g2, client(FreePorts.allocate()), () -> AttachmentMode.SINGLE);
        assertThatThrownBy(() -> unanswered.delete(Map.of("layer_a", a)))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(storage.exists(RemotePaths.objectKey(shard, timeline, "layer_a", g1)))
                .isTrue();

        // The current generation may delete it.
        new RemoteTimelineClient(storage, shard, timeline, g2, validator, () -> AttachmentMode.SINGLE)
                .delete(Map.of("layer_a", a));
        assertThat(storage.exists(RemotePaths.objectKey(shard, timeline, "layer_a", g1)))
                .isFalse();
    }
}
