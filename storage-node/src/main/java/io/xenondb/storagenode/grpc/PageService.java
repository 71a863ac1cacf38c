package io.xenondb.storagenode.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
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
import io.xenondb.proto.pageapi.ReadLsn;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.pages.PageReads;
import io.xenondb.storagenode.pages.RelTag;
import io.xenondb.storagenode.pages.SlruKind;
import io.xenondb.storagenode.tenant.TenantManager;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.zip.GZIPOutputStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The page service ({@code page_api.PageService}, Neon's proto). Base backups stream the tar in chunks of 1 MiB,
 * written on a bounded-elastic thread that waits for the client's demand, so a slow client never makes the node
 * buffer a whole backup. Pages, sizes and SLRU segments come from {@link PageReads} (snapshots materialised at
 * the read's LSN), leases from the tenant's {@code LsnLeases}; blocking work runs on bounded-elastic threads.
 */
public final class PageService extends ReactorPageServiceGrpc.PageServiceImplBase {
    static final int CHUNK = 1024 * 1024;

    private final TenantManager tenants;
    private final PageReads reads;

    public PageService(TenantManager tenants, PageReads reads) {
        this.tenants = tenants;
        this.reads = reads;
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
            Lsn since = Lsn.of(request.getSinceImageLsn()); // Xenon's incremental form; 0 = whole
            if (compression == BaseBackupCompression.BASE_BACKUP_COMPRESSION_GZIP) {
                try (GZIPOutputStream gzip = new GZIPOutputStream(chunks, CHUNK)) {
                    tenants.basebackup(tenant, timeline, Lsn.of(request.getLsn()), since, gzip);
                }
            } else if (compression == BaseBackupCompression.BASE_BACKUP_COMPRESSION_UNKNOWN
                    && request.getCompressionValue() != 0) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        "compression: " + request.getCompressionValue() + " (expected: NONE or GZIP)");
            } else {
                tenants.basebackup(tenant, timeline, Lsn.of(request.getLsn()), since, chunks);
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
        return unary(request, (tenant, timeline, r) -> {
            long dbOid = Integer.toUnsignedLong(r.getDbOid());
            return GetDbSizeResponse.newBuilder()
                    .setNumBytes(reads.dbSize(tenant, timeline, readAt(r.hasReadLsn(), r.getReadLsn()), dbOid))
                    .build();
        });
    }

    @Override
    public Mono<GetRelSizeResponse> getRelSize(Mono<GetRelSizeRequest> request) {
        return unary(request, (tenant, timeline, r) -> {
            RelTag rel = relTag(r.hasRel(), r.getRel());
            OptionalLong blocks = reads.relBlocks(tenant, timeline, readAt(r.hasReadLsn(), r.getReadLsn()), rel);
            if (blocks.isPresent()) {
                return GetRelSizeResponse.newBuilder()
                        .setNumBlocks((int) blocks.getAsLong())
                        .build();
            }
            if (!r.getAllowMissing()) {
                throw new XenonException(ErrorCode.NOT_FOUND, "relation " + rel + " does not exist");
            }
            return GetRelSizeResponse.newBuilder().setMissing(true).build();
        });
    }

    @Override
    public Mono<GetSlruSegmentResponse> getSlruSegment(Mono<GetSlruSegmentRequest> request) {
        return unary(request, (tenant, timeline, r) -> {
            byte[] segment = reads.slruSegment(
                    tenant,
                    timeline,
                    readAt(r.hasReadLsn(), r.getReadLsn()),
                    SlruKind.of(r.getKind()),
                    Integer.toUnsignedLong(r.getSegno()));
            return GetSlruSegmentResponse.newBuilder()
                    .setSegment(ByteString.copyFrom(segment))
                    .build();
        });
    }

    /**
     * Answers each batch in order, errors in-band (the status code and a reason) so one bad request never ends
     * the stream; only a bad tenant or timeline (checked when the stream opens) fails the call.
     */
    @Override
    public Flux<GetPageResponse> getPages(Flux<GetPageRequest> requests) {
        TenantShardId tenant;
        TimelineId timeline;
        try {
            tenant = PageServiceHeaders.tenant();
            timeline = PageServiceHeaders.timeline();
            tenants.tenant(tenant).timeline(timeline);
        } catch (XenonException e) {
            return Flux.error(GrpcErrors.toStatus(e));
        }
        return requests.concatMap(r -> Mono.fromCallable(() -> GetPagesAnswers.answer(reads, tenant, timeline, r))
                .subscribeOn(Schedulers.boundedElastic()));
    }

    @Override
    public Mono<LeaseLsnResponse> leaseLsn(Mono<LeaseLsnRequest> request) {
        return unary(request, (tenant, timeline, r) -> {
            Instant expires = reads.leaseLsn(tenant, timeline, Lsn.of(r.getLsn()));
            return LeaseLsnResponse.newBuilder()
                    .setExpires(Timestamp.newBuilder()
                            .setSeconds(expires.getEpochSecond())
                            .setNanos(expires.getNano()))
                    .build();
        });
    }

    private interface Handler<Q, R> {
        R handle(TenantShardId tenant, TimelineId timeline, Q request);
    }

    /** Reads the headers on the calling thread (they live in its gRPC context), then serves off the event loop. */
    private static <Q, R> Mono<R> unary(Mono<Q> request, Handler<Q, R> handler) {
        TenantShardId tenant;
        TimelineId timeline;
        try {
            tenant = PageServiceHeaders.tenant();
            timeline = PageServiceHeaders.timeline();
        } catch (XenonException e) {
            return Mono.error(GrpcErrors.toStatus(e));
        }
        return request.publishOn(Schedulers.boundedElastic())
                .map(r -> handler.handle(tenant, timeline, r))
                .onErrorMap(GrpcErrors::toStatus);
    }

    static PageReads.ReadAt readAt(boolean present, ReadLsn readLsn) {
        if (!present) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "read_lsn: missing (expected: request_lsn set)");
        }
        return new PageReads.ReadAt(Lsn.of(readLsn.getRequestLsn()), Lsn.of(readLsn.getNotModifiedSinceLsn()));
    }

    static RelTag relTag(boolean present, io.xenondb.proto.pageapi.RelTag rel) {
        if (!present) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "rel: missing (expected: spc, db, rel, fork)");
        }
        return new RelTag(
                Integer.toUnsignedLong(rel.getSpcOid()),
                Integer.toUnsignedLong(rel.getDbOid()),
                Integer.toUnsignedLong(rel.getRelNumber()),
                rel.getForkNumber());
    }
}
