package io.xenondb.storagenode.it;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.xenondb.proto.pageapi.GetPageRequest;
import io.xenondb.proto.pageapi.GetPageResponse;
import io.xenondb.proto.pageapi.GetRelSizeRequest;
import io.xenondb.proto.pageapi.PageServiceGrpc;
import io.xenondb.proto.pageapi.ReadLsn;
import io.xenondb.proto.pageapi.RelTag;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A test client of one timeline's page service: relation sizes and pages at an LSN, with Neon's headers. */
public final class PageClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final PageServiceGrpc.PageServiceBlockingStub blocking;
    private final PageServiceGrpc.PageServiceStub async;

    public PageClient(ListenAddress address, TenantShardId tenant, TimelineId timeline) {
        this.channel = WalNodeChannels.open(address);
        Metadata headers = io.xenondb.shared.client.PageServiceHeaders.of(tenant, timeline);
        this.blocking = PageServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.async =
                PageServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    public static RelTag rel(long spc, long db, long relNumber, int fork) {
        return RelTag.newBuilder()
                .setSpcOid((int) spc)
                .setDbOid((int) db)
                .setRelNumber((int) relNumber)
                .setForkNumber(fork)
                .build();
    }

    public long relBlocks(RelTag rel, Lsn lsn) {
        return blocking.withDeadlineAfter(2, TimeUnit.MINUTES)
                .getRelSize(GetRelSizeRequest.newBuilder()
                        .setReadLsn(ReadLsn.newBuilder().setRequestLsn(lsn.value()))
                        .setRel(rel)
                        .build())
                .getNumBlocks();
    }

    /** Blocks {@code 0..count-1} of {@code rel} at {@code lsn}, in one GetPages batch. */
    public List<byte[]> pages(RelTag rel, Lsn lsn, int count) throws Exception {
        GetPageRequest.Builder request = GetPageRequest.newBuilder()
                .setRequestId(io.xenondb.proto.pageapi.RequestID.newBuilder().setId(1))
                .setReadLsn(ReadLsn.newBuilder().setRequestLsn(lsn.value()))
                .setRel(rel);
        for (int block = 0; block < count; block++) {
            request.addBlockNumber(block);
        }
        CompletableFuture<List<GetPageResponse>> done = new CompletableFuture<>();
        List<GetPageResponse> received = new ArrayList<>();
        StreamObserver<GetPageRequest> out = async.getPages(new StreamObserver<>() {
            @Override
            public void onNext(GetPageResponse value) {
                received.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(received);
            }
        });
        out.onNext(request.build());
        out.onCompleted();
        List<byte[]> pages = new ArrayList<>();
        for (GetPageResponse response : done.get(2, TimeUnit.MINUTES)) {
            if (response.getStatusCode() != io.xenondb.proto.pageapi.GetPageStatusCode.GET_PAGE_STATUS_CODE_OK) {
                throw new AssertionError("GetPages answered " + response.getStatusCode() + ": " + response.getReason());
            }
            response.getPageList().forEach(p -> pages.add(p.getImage().toByteArray()));
        }
        return pages;
    }

    @Override
    public void close() {
        WalNodeChannels.close(channel, Duration.ofSeconds(1));
    }
}
