package io.xenondb.bench;

import io.grpc.ManagedChannel;
import io.xenondb.proto.wal.GetTimelineStatusRequest;
import io.xenondb.proto.wal.WalServiceGrpc;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.id.TenantTimelineId;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A WAL node's gRPC round trip without disk: unary GetTimelineStatus calls, which answer from memory. */
final class GrpcProbe {
    private GrpcProbe() {}

    static LatencyStats measure(WalNodeProcess node, TenantTimelineId timeline, int warmup, int count) {
        ManagedChannel channel = WalNodeChannels.open(node.endpoint().address());
        try {
            WalServiceGrpc.WalServiceBlockingStub stub = WalServiceGrpc.newBlockingStub(channel);
            GetTimelineStatusRequest request = GetTimelineStatusRequest.newBuilder()
                    .setTenantTimelineId(timeline.toWalProto())
                    .build();
            long[] samples = new long[count];
            for (int i = 0; i < warmup + count; i++) {
                long start = System.nanoTime();
                stub.withDeadlineAfter(5, TimeUnit.SECONDS).getTimelineStatus(request);
                long elapsed = System.nanoTime() - start;
                if (i >= warmup) {
                    samples[i - warmup] = elapsed;
                }
            }
            return LatencyStats.of(samples);
        } finally {
            WalNodeChannels.close(channel, Duration.ofSeconds(1));
        }
    }
}
