package io.xenondb.walnode.timeline;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.storage.ControlState;
import io.xenondb.walnode.storage.FileControlStore;
import io.xenondb.walnode.storage.FileWalStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timelines on disk: {@code <datadir>/<tenant_id>/<timeline_id>/} holds the timeline's WAL segments (named and laid
 * out as PostgreSQL's pg_wal) and its control log. A timeline exists once its control log holds a state: a
 * directory without one is what a crash during creation leaves, and is cleared when the timeline is created again.
 */
public final class FileTimelineStorageFactory implements TimelineStorageFactory {
    private static final Logger LOG = LoggerFactory.getLogger(FileTimelineStorageFactory.class);

    private final Path datadir;
    private final Executor preallocator;

    /**
     * @param datadir the node's data directory
     * @param preallocator where next segment files are zero-filled ahead of need
     */
    public FileTimelineStorageFactory(Path datadir, Executor preallocator) {
        this.datadir = datadir;
        this.preallocator = preallocator;
    }

    @Override
    public List<TenantTimelineId> discover() {
        List<TenantTimelineId> found = new ArrayList<>();
        for (Path tenantDir : directories(datadir)) {
            Optional<TenantId> tenant = parse(tenantDir, TenantId::parse);
            if (tenant.isEmpty()) {
                continue;
            }
            for (Path timelineDir : directories(tenantDir)) {
                Optional<TimelineId> timeline = parse(timelineDir, TimelineId::parse);
                if (timeline.isEmpty()) {
                    continue;
                }
                if (Files.exists(timelineDir.resolve(FileControlStore.FILE_NAME))) {
                    found.add(new TenantTimelineId(tenant.get(), timeline.get()));
                } else {
                    LOG.warn("{} has no control log (a creation that did not finish): not served", timelineDir);
                }
            }
        }
        found.sort(Comparator.naturalOrder());
        return found;
    }

    @Override
    public TimelineStorage create(TenantTimelineId timeline, Lsn startLsn) {
        Path dir = directory(timeline);
        if (Files.exists(dir)) {
            try (FileControlStore existing = FileControlStore.open(dir)) {
                if (existing.load().isPresent()) {
                    throw new XenonException(ErrorCode.CONFLICT, "timeline " + timeline + " already exists in " + dir);
                }
            }
            deleteTree(dir); // the remains of an unfinished creation
        }
        return openStores(dir, startLsn, startLsn);
    }

    @Override
    public TimelineStorage open(TenantTimelineId timeline) {
        Path dir = directory(timeline);
        FileControlStore control = FileControlStore.open(dir);
        Optional<ControlState> state;
        try {
            state = control.load();
        } catch (RuntimeException e) {
            control.close();
            throw e;
        }
        if (state.isEmpty()) {
            control.close();
            throw new XenonException(ErrorCode.NOT_FOUND, "timeline " + timeline + ": " + dir + " holds no state");
        }
        control.close();
        return openStores(dir, state.get().timelineStartLsn(), state.get().commitLsn());
    }

    @Override
    public boolean delete(TenantTimelineId timeline) {
        Path dir = directory(timeline);
        if (!Files.exists(dir)) {
            return false;
        }
        deleteTree(dir);
        Path tenantDir = dir.getParent();
        try {
            try (Stream<Path> left = Files.list(tenantDir)) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(tenantDir);
                }
            }
            fsync(datadir);
        } catch (IOException e) {
            throw unavailable("deleting", tenantDir, e);
        }
        return true;
    }

    @Override
    public String describe() {
        return "files under " + datadir;
    }

    private TimelineStorage openStores(Path dir, Lsn startLsn, Lsn commitLsn) {
        FileControlStore control = FileControlStore.open(dir);
        FileWalStore wal;
        try {
            wal = FileWalStore.open(dir, startLsn, commitLsn, preallocator);
        } catch (RuntimeException e) {
            control.close();
            throw e;
        }
        return new TimelineStorage(wal, control, () -> {
            wal.close();
            control.close();
        });
    }

    private Path directory(TenantTimelineId timeline) {
        return datadir.resolve(timeline.tenantId().toString())
                .resolve(timeline.timelineId().toString());
    }

    private static List<Path> directories(Path parent) {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return dirs;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, Files::isDirectory)) {
            entries.forEach(dirs::add);
        } catch (IOException e) {
            throw unavailable("listing", parent, e);
        }
        return dirs;
    }

    private static <T> Optional<T> parse(Path dir, java.util.function.Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(dir.getFileName().toString()));
        } catch (XenonException e) {
            return Optional.empty(); // not a timeline directory (ids are 32 hex chars)
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
            fsync(dir.getParent());
        } catch (IOException e) {
            throw unavailable("deleting", dir, e);
        }
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static XenonException unavailable(String action, Path path, IOException e) {
        return new XenonException(ErrorCode.UNAVAILABLE, action + " " + path + " failed: " + e, e);
    }
}
