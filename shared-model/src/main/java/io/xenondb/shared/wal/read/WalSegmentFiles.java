package io.xenondb.shared.wal.read;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The WAL segment files of one timeline, found in directories (such as {@code pg_wal}) and/or given one by
 * one. A {@code .partial} file (a last segment that may be shorter) counts when no full file exists for it.
 */
public final class WalSegmentFiles {
    /** One segment file on disk. */
    public record SegmentFile(WalSegmentName name, Path path, boolean partial) {}

    private static final String PARTIAL = ".partial";

    private final long timeline;
    private final TreeMap<Long, SegmentFile> bySegment;

    private WalSegmentFiles(long timeline, TreeMap<Long, SegmentFile> bySegment) {
        this.timeline = timeline;
        this.bySegment = bySegment;
    }

    /**
     * Finds the segment files among {@code inputs} (directories are listed; files must be named like
     * segments). If several timelines are present, the highest one is used unless {@code timeline} is given.
     *
     * @throws XenonException {@code NOT_FOUND} for a missing path or no segments, {@code INVALID_ARGUMENT} for a
     *     file whose name is not a segment name
     */
    public static WalSegmentFiles scan(Collection<Path> inputs, Optional<Long> timeline) {
        TreeMap<Long, TreeMap<Long, SegmentFile>> byTimeline = new TreeMap<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> entries = Files.list(input)) {
                    entries.filter(Files::isRegularFile)
                            .map(WalSegmentFiles::segmentFile)
                            .flatMap(Optional::stream)
                            .forEach(f -> add(byTimeline, f));
                } catch (IOException e) {
                    throw new XenonException(ErrorCode.INTERNAL, "listing WAL directory " + input + ": " + e, e);
                }
            } else if (Files.isRegularFile(input)) {
                SegmentFile file = segmentFile(input)
                        .orElseThrow(() -> new XenonException(
                                ErrorCode.INVALID_ARGUMENT,
                                "wal file: " + input.getFileName()
                                        + " (expected: a segment name such as 000000010000000000000001)"));
                add(byTimeline, file);
            } else {
                throw new XenonException(
                        ErrorCode.NOT_FOUND,
                        "wal path: " + input + " (expected: an existing directory or segment file)");
            }
        }
        if (byTimeline.isEmpty()) {
            throw new XenonException(ErrorCode.NOT_FOUND, "no WAL segment files in " + inputs);
        }
        long chosen = timeline.orElseGet(byTimeline::lastKey);
        TreeMap<Long, SegmentFile> files = byTimeline.get(chosen);
        if (files == null) {
            throw new XenonException(
                    ErrorCode.NOT_FOUND,
                    "no WAL segment files of timeline " + chosen + " (have timelines " + byTimeline.keySet() + ")");
        }
        return new WalSegmentFiles(chosen, files);
    }

    private static Optional<SegmentFile> segmentFile(Path path) {
        String name = path.getFileName().toString();
        boolean partial = name.endsWith(PARTIAL);
        String base = partial ? name.substring(0, name.length() - PARTIAL.length()) : name;
        if (!WalSegmentName.isSegmentName(base)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SegmentFile(WalSegmentName.parse(base), path, partial));
        } catch (XenonException e) {
            return Optional.empty();
        }
    }

    private static void add(Map<Long, TreeMap<Long, SegmentFile>> byTimeline, SegmentFile file) {
        TreeMap<Long, SegmentFile> files =
                byTimeline.computeIfAbsent(file.name().timeline(), t -> new TreeMap<>());
        files.merge(file.name().segmentNumber(), file, (a, b) -> a.partial() ? b : a);
    }

    public long timeline() {
        return timeline;
    }

    /** The file holding segment {@code segmentNumber}, if present. */
    public Optional<SegmentFile> segment(long segmentNumber) {
        return Optional.ofNullable(bySegment.get(segmentNumber));
    }

    /** The start of the first segment present. */
    public Lsn firstLsn() {
        return bySegment.firstEntry().getValue().name().startLsn();
    }

    /** The end of the last segment present. */
    public Lsn lastLsn() {
        return bySegment.lastEntry().getValue().name().endLsn();
    }

    public Collection<SegmentFile> files() {
        return bySegment.values();
    }
}
