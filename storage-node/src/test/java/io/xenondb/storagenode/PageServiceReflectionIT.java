package io.xenondb.storagenode;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.shared.io.FileTrees;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The storage node process answers gRPC server reflection, so grpcurl works without proto files. */
@Tag("storage-node")
class PageServiceReflectionIT {
    @Test
    void reflectionListsThePageService() throws Exception {
        Path work =
                Path.of("target", "reflection-it", UUID.randomUUID().toString()).toAbsolutePath();
        int grpc = FreePorts.allocate();
        ConfigurableApplicationContext node = StorageNodeApplication.start(
                "--id", "1",
                "-D", work.toString(),
                "--listen-http", "127.0.0.1:" + FreePorts.allocate(),
                "--listen-grpc", "127.0.0.1:" + grpc,
                "--broker-endpoint", "http://127.0.0.1:" + FreePorts.allocate());
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", grpc, InsecureChannelCredentials.create())
                .build();
        try {
            CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(channel)
                    .serverReflectionInfo(new StreamObserver<>() {
                        @Override
                        public void onNext(ServerReflectionResponse value) {
                            answer.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {}
                    });
            out.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            out.onCompleted();
            List<String> services = answer.get(30, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                    .map(ServiceResponse::getName)
                    .toList();
            assertThat(services).contains("page_api.PageService");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            node.close();
            FileTrees.deleteRecursively(work);
        }
    }
}
