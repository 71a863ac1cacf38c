package io.xenondb.compute.start;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.xenondb.proto.pageapi.BaseBackupCompression;
import io.xenondb.proto.pageapi.GetBaseBackupRequest;
import io.xenondb.proto.pageapi.GetBaseBackupResponseChunk;
import io.xenondb.proto.pageapi.PageServiceGrpc;
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
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Fetches a base backup from a storage node's page service ({@code GetBaseBackup}) and unpacks it into an empty
 * data directory: the files of a data directory as of one LSN, from which stock PostgreSQL starts.
 */
public final class BasebackupFetcher {
    /** Written by the storage node into every base backup: {@code LSN: X/X}. */
    static final String INFO_FILE = "xenon_basebackup";

    private BasebackupFetcher() {}

    /**
     * Unpacks the base backup of {@code timeline} at {@code lsn} (INVALID: the newest) into {@code dataDir}
     * (absent or empty) and returns the LSN it is at.
     */
    public static Lsn fetch(
            ManagedChannel channel,
            TenantShardId tenant,
            TimelineId timeline,
            Lsn lsn,
            Path dataDir,
            Duration timeout) {
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER),
                tenant.tenantId().toString());
        headers.put(
                Metadata.Key.of("neon-shard-id", Metadata.ASCII_STRING_MARSHALLER),
                tenant.shard().toString());
        headers.put(Metadata.Key.of("neon-timeline-id", Metadata.ASCII_STRING_MARSHALLER), timeline.toString());
        try {
            Iterator<GetBaseBackupResponseChunk> chunks = PageServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .getBaseBackup(GetBaseBackupRequest.newBuilder()
                            .setLsn(lsn.value())
                            .setCompression(BaseBackupCompression.BASE_BACKUP_COMPRESSION_NONE)
                            .build());
            return unpack(new ChunkInputStream(chunks), dataDir);
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.toXenonException(e);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "unpacking the base backup of " + timeline + " into " + dataDir + " failed: " + e,
                    e);
        }
    }

    /** Unpacks a base backup tar into {@code dataDir}; returns the LSN its info file names. */
    static Lsn unpack(InputStream tarStream, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path root = dataDir.toAbsolutePath().normalize();
        Lsn lsn = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || entry.isSymbolicLink() || entry.isLink()) {
                    throw new IOException(
                            "base backup entry " + entry.getName() + " points outside the data directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (entry.getName().equals(INFO_FILE)) {
                    String info = new String(tar.readAllBytes(), StandardCharsets.US_ASCII);
                    lsn = parseInfo(info);
                    continue;
                }
                try (OutputStream out = Files.newOutputStream(target)) {
                    tar.transferTo(out);
                }
            }
        }
        if (lsn == null) {
            throw new IOException("the base backup has no " + INFO_FILE + " naming its LSN");
        }
        return lsn;
    }

    private static Lsn parseInfo(String info) throws IOException {
        for (String line : info.split("\n")) {
            if (line.startsWith("LSN: ")) {
                return Lsn.parse(line.substring("LSN: ".length()).strip());
            }
        }
        throw new IOException("the base backup's " + INFO_FILE + " names no LSN: " + info);
    }

    /** The concatenated chunks of the stream. */
    private static final class ChunkInputStream extends InputStream {
        private final Iterator<GetBaseBackupResponseChunk> chunks;
        private ByteString current = ByteString.EMPTY;
        private int pos;

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
            return n;
        }
    }
}
