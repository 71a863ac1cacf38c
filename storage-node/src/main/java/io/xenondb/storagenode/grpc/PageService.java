package io.xenondb.storagenode.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.xenondb.proto.pageapi.BaseBackupCompression;
import io.xenondb.proto.pageapi.GetBaseBackupRequest;
import io.xenondb.proto.pageapi.GetBaseBackupResponseChunk;
import io.xenondb.proto.pageapi.GetDbSizeRequest;
import io.xenondb.proto.pageapi.GetDbSizeResponse;
import io.xenondb.proto.pageapi.GetPageRequest;
import io.xenondb.proto.pageapi.GetPageResponse;
import io.xenondb.proto.pageapi.GetRelSizeRequest;
import io.xenondb.proto.pageapi.GetRelSizeResponse;
import io.xenondb.proto.pageapi.GetSlruSegmentRequest;
import io.xenondb.proto.pageapi.GetSlruSegmentResponse;
import io.xenondb.proto.pageapi.LeaseLsnRequest;
import io.xenondb.proto.pageapi.LeaseLsnResponse;
import io.xenondb.proto.pageapi.ReactorPageServiceGrpc;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.tenant.TenantManager;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The page service ({@code page_api.PageService}, Neon's proto). Base backups stream the tar in chunks of 1 MiB,
 * written on a bounded-elastic thread that waits for the client's demand, so a slow client never makes the node
 * buffer a whole backup. Page reads, sizes, SLRU segments and leases are not served yet: they answer
 * UNIMPLEMENTED saying so.
 */
public final class PageService extends ReactorPageServiceGrpc.PageServiceImplBase {
    static final int CHUNK = 1024 * 1024;

    private final TenantManager tenants;

    public PageService(TenantManager tenants) {
        this.tenants = tenants;
    }

    @Override
    public Flux<GetBaseBackupResponseChunk> getBaseBackup(Mono<GetBaseBackupRequest> request) {
        TenantShardId tenant;
        TimelineId timeline;
        try {
            tenant = PageServiceHeaders.tenant();
            timeline = PageServiceHeaders.timeline();
        } catch (XenonException e) {
            return Flux.error(GrpcErrors.toStatus(e));
        }
        return request.flatMapMany(r -> Flux.<GetBaseBackupResponseChunk>create(
                        sink -> Schedulers.boundedElastic().schedule(() -> write(tenant, timeline, r, sink)),
                        FluxSink.OverflowStrategy.BUFFER))
                .onErrorMap(GrpcErrors::toStatus);
    }

    private void write(
            TenantShardId tenant,
            TimelineId timeline,
            GetBaseBackupRequest request,
            FluxSink<GetBaseBackupResponseChunk> sink) {
        try (ChunkStream chunks = new ChunkStream(sink)) {
            BaseBackupCompression compression = request.getCompression();
            if (compression == BaseBackupCompression.BASE_BACKUP_COMPRESSION_GZIP) {
                try (GZIPOutputStream gzip = new GZIPOutputStream(chunks, CHUNK)) {
                    tenants.basebackup(tenant, timeline, Lsn.of(request.getLsn()), gzip);
                }
            } else if (compression == BaseBackupCompression.BASE_BACKUP_COMPRESSION_UNKNOWN
                    && request.getCompressionValue() != 0) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        "compression: " + request.getCompressionValue() + " (expected: NONE or GZIP)");
            } else {
                tenants.basebackup(tenant, timeline, Lsn.of(request.getLsn()), chunks);
            }
            chunks.flush();
            sink.complete();
        } catch (IOException | RuntimeException e) {
            sink.error(e);
        }
    }

    /** An output stream that emits full chunks as they fill, waiting while the client has asked for none. */
    private static final class ChunkStream extends OutputStream {
        private final FluxSink<GetBaseBackupResponseChunk> sink;
        private final byte[] buffer = new byte[CHUNK];
        private final Object demandLock = new Object();
        private long demand;
        private int filled;
        private volatile boolean cancelled;

        ChunkStream(FluxSink<GetBaseBackupResponseChunk> sink) {
            this.sink = sink;
            sink.onRequest(n -> {
                synchronized (demandLock) {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    demandLock.notifyAll();
                }
            });
            sink.onCancel(() -> {
                cancelled = true;
                synchronized (demandLock) {
                    demandLock.notifyAll();
                }
            });
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, CHUNK - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == CHUNK) {
                    emit();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            if (filled > 0) {
                emit();
            }
        }

        private void emit() throws IOException {
            synchronized (demandLock) {
                while (demand == 0 && !cancelled) {
                    try {
                        demandLock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while the client was not reading");
                    }
                }
                if (cancelled) {
                    throw new IOException("the client cancelled the base backup");
                }
                demand--;
            }
            sink.next(GetBaseBackupResponseChunk.newBuilder()
                    .setChunk(ByteString.copyFrom(buffer, 0, filled))
                    .build());
            filled = 0;
        }
    }

    @Override
    public Mono<GetDbSizeResponse> getDbSize(Mono<GetDbSizeRequest> request) {
        return unsupported("GetDbSize");
    }

    @Override
    public Mono<GetRelSizeResponse> getRelSize(Mono<GetRelSizeRequest> request) {
        return unsupported("GetRelSize");
    }

    @Override
    public Mono<GetSlruSegmentResponse> getSlruSegment(Mono<GetSlruSegmentRequest> request) {
        return unsupported("GetSlruSegment");
    }

    @Override
    public Flux<GetPageResponse> getPages(Flux<GetPageRequest> requests) {
        return Flux.error(Status.UNIMPLEMENTED
                .withDescription("GetPages is not supported by this storage node yet")
                .asRuntimeException());
    }

    @Override
    public Mono<LeaseLsnResponse> leaseLsn(Mono<LeaseLsnRequest> request) {
        return unsupported("LeaseLsn");
    }

    private static <T> Mono<T> unsupported(String call) {
        return Mono.error(Status.UNIMPLEMENTED
                .withDescription(call + " is not supported by this storage node yet")
                .asRuntimeException());
    }
}
