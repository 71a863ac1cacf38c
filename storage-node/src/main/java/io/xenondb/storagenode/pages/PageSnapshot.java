package io.xenondb.storagenode.pages;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A data directory of one timeline at one LSN after crash recovery and a clean shutdown: every page is in its
 * relation file, so reads are plain file reads, as PostgreSQL's md.c would do them. Read-only once made.
 */
public final class PageSnapshot {
    /** PostgreSQL's BLCKSZ. */
    public static final int PAGE_SIZE = 8192;
    /** PostgreSQL's RELSEG_SIZE: blocks per relation segment file (1 GiB). */
    static final long BLOCKS_PER_SEGMENT = 131072;

    /** What a snapshot is of. */
    public record Key(TenantShardId tenant, TimelineId timeline, Lsn lsn) {}

    private final Key key;
    private final Path dataDir;

    PageSnapshot(Key key, Path dataDir) {
        this.key = key;
        this.dataDir = dataDir;
    }

    public Key key() {
        return key;
    }

    public Lsn lsn() {
        return key.lsn();
    }

    Path dataDir() {
        return dataDir;
    }

    /** Block {@code blkno} of {@code rel}, or empty if the relation or that block does not exist. */
    public Optional<byte[]> page(RelTag rel, long blkno) {
        if (blkno < 0 || blkno > 0xFFFF_FFFEL) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "block_number: " + blkno + " (expected: 0 to 4294967294)");
        }
        Path file = dataDir.resolve(rel.segmentPath((int) (blkno / BLOCKS_PER_SEGMENT)));
        long offset = (blkno % BLOCKS_PER_SEGMENT) * PAGE_SIZE;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < offset + PAGE_SIZE) {
                return Optional.empty();
            }
            ByteBuffer page = ByteBuffer.allocate(PAGE_SIZE);
            while (page.hasRemaining()) {
                if (channel.read(page, offset + page.position()) < 0) {
                    return Optional.empty();
                }
            }
            return Optional.of(page.array());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failed("reading block " + blkno + " of " + rel, e);
        }
    }

    /** The size of {@code rel} in blocks (as md.c counts: its segments in turn), or empty if it does not exist. */
    public OptionalLong relBlocks(RelTag rel) {
        long blocks = 0;
        for (int segment = 0; ; segment++) {
            Path file = dataDir.resolve(rel.segmentPath(segment));
            long size;
            try {
                size = Files.size(file);
            } catch (NoSuchFileException e) {
                return segment == 0 ? OptionalLong.empty() : OptionalLong.of(blocks);
            } catch (IOException e) {
                throw failed("the size of " + rel, e);
            }
            blocks += size / PAGE_SIZE;
            if (size < BLOCKS_PER_SEGMENT * PAGE_SIZE) {
                return OptionalLong.of(blocks);
            }
        }
    }

    /**
     * The bytes of database {@code dbOid} as {@code pg_database_size} counts them: the sizes of the entries of
     * {@code base/<dbOid>}; empty if there is no such database.
     */
    public OptionalLong dbSize(long dbOid) {
        if (dbOid <= 0 || dbOid > 0xFFFF_FFFFL) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "db_oid: " + dbOid + " (expected: 1 to 4294967295)");
        }
        Path dir = dataDir.resolve("base").resolve(Long.toString(dbOid));
        long total = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                total += Files.readAttributes(entry, BasicFileAttributes.class).size();
            }
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw failed("the size of database " + dbOid, e);
        }
        return OptionalLong.of(total);
    }

    /** The whole segment file {@code segno} of {@code kind}, or empty if it does not exist. */
    public Optional<byte[]> slruSegment(SlruKind kind, long segno) {
        Path file = dataDir.resolve(kind.segmentPath(segno));
        try {
            if (Files.size(file) > (long) SlruKind.PAGES_PER_SEGMENT * PAGE_SIZE) {
                throw new XenonException(
                        ErrorCode.INTERNAL,
                        kind.segmentPath(segno) + ": " + Files.size(file) + " bytes (expected: at most "
                                + SlruKind.PAGES_PER_SEGMENT * PAGE_SIZE + ")");
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failed("reading " + kind.segmentPath(segno), e);
        }
    }

    private XenonException failed(String what, IOException e) {
        return new XenonException(
                ErrorCode.INTERNAL, what + " at " + key.lsn() + " of timeline " + key.timeline() + " failed: " + e, e);
    }

    @Override
    public String toString() {
        return "snapshot of " + key.tenant() + "/" + key.timeline() + " at " + key.lsn();
    }
}
