package io.xenondb.bench.storage;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.xenondb.proto.pageapi.GetPageRequest;
import io.xenondb.proto.pageapi.GetPageResponse;
import io.xenondb.proto.pageapi.GetPageStatusCode;
import io.xenondb.proto.pageapi.PageServiceGrpc;
import io.xenondb.proto.pageapi.ReadLsn;
import io.xenondb.proto.pageapi.RelTag;
import io.xenondb.proto.pageapi.RequestID;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code GetPages} stream to a storage node, used one request at a time: {@link #read} sends a request for
 * one block and waits for its answer, as a backend waiting on a page does.
 */
final class GetPageProbe implements AutoCloseable {
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(10);

    private final ManagedChannel channel;
    private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    private final StreamObserver<GetPageRequest> requests;
    private long nextId;

    GetPageProbe(ListenAddress storageGrpc, TenantShardId tenant, TimelineId timeline) {
        channel = WalNodeChannels.open(storageGrpc);
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER),
                tenant.tenantId().toString());
        headers.put(Metadata.Key.of("neon-timeline-id", Metadata.ASCII_STRING_MARSHALLER), timeline.toString());
        requests = PageServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .getPages(new StreamObserver<>() {
                    @Override
                    public void onNext(GetPageResponse response) {
                        answers.add(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.add(t);
                    }

                    @Override
                    public void onCompleted() {
                        answers.add(new IllegalStateException("the server ended the stream"));
                    }
                });
    }

    /** Reads {@code block} of {@code rel} at {@code lsn}; the nanoseconds from sending to the page's arrival. */
    long read(RelTag rel, int block, Lsn lsn) {
        long id = ++nextId;
        GetPageRequest request = GetPageRequest.newBuilder()
                .setRequestId(RequestID.newBuilder().setId(id))
                .setReadLsn(ReadLsn.newBuilder().setRequestLsn(lsn.value()).setNotModifiedSinceLsn(lsn.value()))
                .setRel(rel)
                .addBlockNumber(block)
                .build();
        long start = System.nanoTime();
        requests.onNext(request);
        Object answer;
        try {
            answer = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted while waiting for a page");
        }
        long nanos = System.nanoTime() - start;
        if (!(answer instanceof GetPageResponse response)) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, "GetPages block " + block + ": " + (answer == null ? "no answer" : answer));
        }
        if (response.getStatusCode() != GetPageStatusCode.GET_PAGE_STATUS_CODE_OK
                || response.getRequestId().getId() != id
                || response.getPageCount() != 1
                || response.getPage(0).getImage().size() != 8192) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "GetPages block " + block + " at " + lsn + ": " + response.getStatusCode() + " "
                            + response.getReason() + " (expected: OK with one 8 KiB page for request " + id + ")");
        }
        return nanos;
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException e) {
            // the stream may already be broken
        }
        WalNodeChannels.close(channel, Duration.ofSeconds(2));
    }
}
