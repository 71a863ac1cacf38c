package io.xenondb.cli.waldump;

import io.xenondb.shared.error.ErrorCategory;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xenon waldump}: decodes PostgreSQL 17 WAL segment files and prints one line per record (or totals per
 * resource manager with {@code --stats}). The end of the WAL is not an error; corrupt WAL prints the records
 * before the damage, then one line naming the LSN, and exits with 1. Bad arguments exit with 2.
 */
@Command(
        name = "waldump",
        mixinStandardHelpOptions = true,
        description = "List the records of a pg_wal directory or WAL segment files, like pg_waldump.")
public final class WaldumpCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_BAD_WAL = 1;
    static final int EXIT_USAGE = 2;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "A pg_wal directory or WAL segment files.")
    List<Path> paths;

    @Option(
            names = {"-s", "--start"},
            paramLabel = "LSN",
            description = "Start at the first record at or after this LSN (X/X). Default: the first segment's start.")
    String start;

    @Option(
            names = {"-e", "--end"},
            paramLabel = "LSN",
            description = "Stop before the first record that ends after this LSN (X/X).")
    String end;

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            description = "Print at most N records.")
    Long limit;

    @Option(
            names = {"-t", "--timeline"},
            paramLabel = "TLI",
            description = "Timeline of the segment files to read. Default: the highest present.")
    Long timeline;

    @Option(
            names = {"-z", "--stats"},
            description = "Print totals per resource manager instead of the records.")
    boolean stats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Lsn from;
        Lsn to;
        try {
            from = start == null ? null : Lsn.parse(start);
            to = end == null ? null : Lsn.parse(end);
        } catch (XenonException e) {
            return fail(err, e.getMessage(), EXIT_USAGE);
        }
        if (from != null && to != null && to.isBefore(from)) {
            return fail(err, "--end " + to + " is before --start " + from + " (expected: end >= start)", EXIT_USAGE);
        }
        if (limit != null && limit < 0) {
            return fail(err, "--limit " + limit + " (expected: >= 0)", EXIT_USAGE);
        }
        WalStats totals = new WalStats();
        try {
            WalSegmentFiles files = WalSegmentFiles.scan(paths, Optional.ofNullable(timeline));
            long printed = 0;
            try (WalReader reader = WalReader.open(files, from == null ? files.firstLsn() : from)) {
                Optional<DecodedRecord> next;
                while ((limit == null || printed < limit) && (next = reader.next()).isPresent()) {
                    DecodedRecord r = next.get();
                    if (to != null && r.endLsn().isAfter(to)) {
                        break;
                    }
                    if (stats) {
                        totals.add(r);
                    } else {
                        out.println(RecordLine.format(r));
                    }
                    printed++;
                }
            }
        } catch (WalDecodeException e) {
            printStats(out, totals);
            return fail(err, e.getMessage(), EXIT_BAD_WAL);
        } catch (XenonException e) {
            printStats(out, totals);
            return fail(err, e.getMessage(), e.category() == ErrorCategory.INTERNAL ? EXIT_BAD_WAL : EXIT_USAGE);
        }
        printStats(out, totals);
        return EXIT_OK;
    }

    private void printStats(PrintWriter out, WalStats totals) {
        if (stats) {
            totals.print(out);
        }
        out.flush();
    }

    private static int fail(PrintWriter err, String message, int code) {
        err.println("waldump: " + message);
        err.flush();
        return code;
    }
}
