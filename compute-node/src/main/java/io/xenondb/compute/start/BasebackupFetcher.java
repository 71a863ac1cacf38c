package io.xenondb.compute.start;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.xenondb.proto.pageapi.BaseBackupCompression;
import io.xenondb.proto.pageapi.GetBaseBackupRequest;
import io.xenondb.proto.pageapi.GetBaseBackupResponseChunk;
import io.xenondb.proto.pageapi.PageServiceGrpc;
import io.xenondb.shared.basebackup.BasebackupInfo;
import io.xenondb.shared.basebackup.IncrementalFormat;
import io.xenondb.shared.client.PageServiceHeaders;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Fetches a base backup from a storage node's page service ({@code GetBaseBackup}) and unpacks it into an empty
 * data directory: the files of a data directory as of one LSN, from which stock PostgreSQL starts. With an {@link
 * ImageCache} holding an image of the timeline it asks for the incremental form (only what changed since that image),
 * applies it to a copy of the cached image, and then keeps the new image in the cache.
 */
public final class BasebackupFetcher {
    /** What was fetched: the LSN the data directory is at, the backup's info file, the bytes of the tar. */
    public record Result(Lsn lsn, BasebackupInfo info, long tarBytes) {
        public boolean incremental() {
            return info.isIncremental();
        }
    }

    private BasebackupFetcher() {}

    /**
     * Unpacks the base backup of {@code timeline} at {@code lsn} (INVALID: the newest) into {@code dataDir}
     * (absent or empty) and returns the LSN it is at.
     */
    public static Lsn fetch(
            Channel channel, TenantShardId tenant, TimelineId timeline, Lsn lsn, Path dataDir, Duration timeout) {
        return fetch(channel, tenant, timeline, lsn, dataDir, timeout, null).lsn();
    }

    /**
     * Like {@link #fetch(ManagedChannel, TenantShardId, TimelineId, Lsn, Path, Duration)}, using {@code cache} (may
     * be null) when it holds an image of this timeline; it then holds the image of the new backup. An incremental
     * attempt that fails for any reason (e.g. the server's base image is not the cached one) is retried whole.
     */
    public static Result fetch(
            Channel channel,
            TenantShardId tenant,
            TimelineId timeline,
            Lsn lsn,
            Path dataDir,
            Duration timeout,
            ImageCache cache) {
        Optional<ImageCache.State> held = cache == null ? Optional.empty() : cache.stateFor(tenant, timeline);
        if (held.isPresent()) {
            try {
                return fetchOnce(channel, tenant, timeline, lsn, dataDir, timeout, cache, held);
            } catch (RuntimeException e) {
                try {
                    ImageCache.deleteTree(dataDir);
                    cache.clear();
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                    throw e;
                }
            }
        }
        return fetchOnce(channel, tenant, timeline, lsn, dataDir, timeout, cache, Optional.empty());
    }

    private static Result fetchOnce(
            Channel channel,
            TenantShardId tenant,
            TimelineId timeline,
            Lsn lsn,
            Path dataDir,
            Duration timeout,
            ImageCache cache,
            Optional<ImageCache.State> held) {
        Metadata headers = PageServiceHeaders.of(tenant, timeline);
        try {
            Iterator<GetBaseBackupResponseChunk> chunks = PageServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .getBaseBackup(GetBaseBackupRequest.newBuilder()
                            .setLsn(lsn.value())
                            .setCompression(BaseBackupCompression.BASE_BACKUP_COMPRESSION_NONE)
                            .setSinceImageLsn(
                                    held.map(h -> h.imageLsn().value()).orElse(0L))
                            .build());
            ChunkInputStream in = new ChunkInputStream(chunks);
            BasebackupInfo info = unpack(in, dataDir, cache, held);
            if (cache != null) {
                cache.replaceFrom(dataDir, new ImageCache.State(tenant, timeline, info.imageLsn(), info.imageId()));
            }
            return new Result(info.lsn(), info, in.bytes);
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.toXenonException(e);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "unpacking the base backup of " + timeline + " into " + dataDir + " failed: " + e,
                    e);
        }
    }

    /** Unpacks a whole base backup tar into {@code dataDir}; returns the LSN its info file names. */
    static Lsn unpack(InputStream tarStream, Path dataDir) throws IOException {
        return unpack(tarStream, dataDir, null, Optional.empty()).lsn();
    }

    /**
     * Unpacks a base backup tar into {@code dataDir}: a whole one as it is; an incremental one onto a copy of the
     * image {@code held} in {@code cache}, which must be the one the backup names as its base.
     */
    static BasebackupInfo unpack(InputStream tarStream, Path dataDir, ImageCache cache, Optional<ImageCache.State> held)
            throws IOException {
        Files.createDirectories(dataDir);
        Path root = dataDir.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
            TarArchiveEntry first = tar.getNextEntry();
            if (first == null || !first.getName().equals(BasebackupInfo.FILE)) {
                throw new IOException("the base backup does not start with " + BasebackupInfo.FILE + " but with "
                        + (first == null ? "nothing" : first.getName()));
            }
            BasebackupInfo info;
            try {
                info = BasebackupInfo.parse(new String(tar.readAllBytes(), StandardCharsets.US_ASCII));
            } catch (XenonException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (info.isIncremental()) {
                if (held.isEmpty() || !held.get().imageId().equals(info.baseImageId())) {
                    throw new IOException("an incremental base backup from image " + info.baseImageId()
                            + ", but the image cache holds "
                            + held.map(ImageCache.State::imageId).orElse("none"));
                }
                cache.copyTo(root);
            }
            IncrementalApply apply = info.isIncremental() ? new IncrementalApply(root) : null;
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new IOException("base backup entry " + name + " is a link");
                }
                if (apply != null && name.equals(IncrementalFormat.MANIFEST)) {
                    apply.manifest(tar.readAllBytes());
                } else if (apply != null && name.startsWith(IncrementalFormat.DELTA_PREFIX)) {
                    apply.delta(name.substring(IncrementalFormat.DELTA_PREFIX.length()), tar, entry.getSize());
                } else if (entry.isDirectory()) {
                    Files.createDirectories(inside(root, name));
                } else {
                    Path target = inside(root, name);
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        tar.transferTo(out);
                    }
                }
            }
            if (apply != null) {
                apply.removeWhatIsGone();
            }
            return info;
        }
    }

    /** {@code root}/{@code name}, refused when it would lie outside {@code root}. */
    static Path inside(Path root, String name) throws IOException {
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("base backup entry " + name + " points outside the data directory");
        }
        return target;
    }

    /** The concatenated chunks of the stream. */
    private static final class ChunkInputStream extends InputStream {
        private final Iterator<GetBaseBackupResponseChunk> chunks;
        private ByteString current = ByteString.EMPTY;
        private int pos;
        long bytes;

        ChunkInputStream(Iterator<GetBaseBackupResponseChunk> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (pos == current.size()) {
                if (!chunks.hasNext()) {
                    return -1;
                }
                current = chunks.next().getChunk();
                pos = 0;
            }
            int n = Math.min(len, current.size() - pos);
            current.copyTo(b, pos, off, n);
            pos += n;
            bytes += n;
            return n;
        }
    }
}
