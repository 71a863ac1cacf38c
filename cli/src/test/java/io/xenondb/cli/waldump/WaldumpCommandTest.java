package io.xenondb.cli.waldump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WaldumpCommandTest {
    @TempDir
    static Path tmp;

    static TinyWal wal;
    static Path pgWal;
    static Path segment;

    @BeforeAll
    static void writeWal() throws IOException {
        wal = new TinyWal(2)
                .message(10)
                .heapInsert(16384, 7)
                .fullPageImage(16390, 3)
                .message(20000)
                .message(5);
        pgWal = tmp.resolve("pg_wal");
        segment = wal.writeTo(pgWal);
    }

    record Run(int exit, List<String> out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new WaldumpCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        List<String> lines = out.toString().isEmpty()
                ? List.of()
                : Arrays.asList(out.toString().split("\n"));
        return new Run(exit, lines, err.toString());
    }

    @Test
    void printsOneLinePerRecordLikePgWaldump() {
        Run run = run(pgWal.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
        assertThat(run.out()).hasSize(5);
        assertThat(run.out().get(0))
                .isEqualTo("rmgr: LogicalMessage len (rec/tot):     39/    39, tx:        700, lsn: " + wal.lsn(0)
                        + ", prev 0/0, desc: MESSAGE");
        assertThat(run.out().get(1))
                .isEqualTo("rmgr: Heap        len (rec/tot):     51/    51, tx:        734, lsn: " + wal.lsn(1)
                        + ", prev " + wal.lsn(0) + ", desc: INSERT, blkref #0: rel 1663/5/16384 blk 7");
        assertThat(run.out().get(2))
                .startsWith("rmgr: XLOG        len (rec/tot):     49/  8241, tx:          0, lsn: " + wal.lsn(2))
                .endsWith("desc: FPI, blkref #0: rel 1663/5/16390 fork vm blk 3 FPW");
        assertThat(run.out().get(3)).contains("len (rec/tot):  20029/ 20029").contains("lsn: " + wal.lsn(3));
    }

    @Test
    void startEndAndLimitSelectRecords() {
        Run fromSecond = run("--start", wal.lsn(1), "--end", wal.lsn(3), segment.toString());
        assertThat(fromSecond.exit()).isZero();
        assertThat(fromSecond.out()).hasSize(2);
        assertThat(fromSecond.out().get(0)).contains("lsn: " + wal.lsn(1) + ",");
        assertThat(fromSecond.out().get(1)).contains("lsn: " + wal.lsn(2) + ",");

        Run limited = run("-n", "1", "-s", wal.lsn(2), pgWal.toString());
        assertThat(limited.out()).hasSize(1);
        assertThat(limited.out().get(0)).contains("desc: FPI");
    }

    @Test
    void statsPrintsTotalsPerResourceManager() {
        Run run = run("--stats", pgWal.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out().get(0)).startsWith("WAL statistics between " + wal.lsn(0) + " and ");
        assertThat(run.out())
                .anySatisfy(
                        l -> assertThat(l).startsWith("XLOG").contains(" 1 ").contains(" 8192 "));
        assertThat(run.out())
                .anySatisfy(l -> assertThat(l).startsWith("LogicalMessage").contains(" 3 "));
        assertThat(run.out().getLast()).startsWith("Total").contains(" 5 ").contains("[100%]");
    }

    @Test
    void badArgumentsGiveOneClearLine() throws IOException {
        Run badLsn = run("--start", "0/ZZ", pgWal.toString());
        assertThat(badLsn.exit()).isEqualTo(2);
        assertThat(badLsn.err()).isEqualTo("waldump: lsn: 0/ZZ (expected: X/X hex, e.g. 0/16B5A50)\n");

        Run missing = run(tmp.resolve("nope").toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err())
                .startsWith("waldump: wal path: ")
                .contains("nope")
                .doesNotContain("\n\n");
        assertThat(missing.err().lines()).hasSize(1);

        Run backwards = run("--start", "0/3000000", "--end", "0/2000000", pgWal.toString());
        assertThat(backwards.exit()).isEqualTo(2);
        assertThat(backwards.err()).contains("is before --start");

        Run outside = run("--start", "5/0", pgWal.toString());
        assertThat(outside.exit()).isNotZero();
        assertThat(outside.err()).contains("5/0");

        Path notWal = Files.writeString(tmp.resolve("readme.txt"), "x");
        assertThat(run(notWal.toString()).err()).contains("readme.txt");
    }

    @Test
    void corruptWalPrintsTheRecordsBeforeThenTheLsn() throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        long third = Long.parseLong(wal.lsn(2).substring(2), 16) - 2L * TinyWal.SEGMENT;
        bytes[(int) third + 100] ^= 0x20;
        Path dir = Files.createDirectories(tmp.resolve("corrupt"));
        Files.write(dir.resolve(segment.getFileName()), bytes);
        Run run = run(dir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).hasSize(2);
        assertThat(run.err())
                .startsWith("waldump: WAL at " + wal.lsn(2) + ": incorrect resource manager data checksum");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void helpIsAvailable() {
        Run run = run("--help");
        assertThat(run.exit()).isZero();
        assertThat(String.join("\n", run.out()))
                .contains("--start")
                .contains("--stats")
                .contains("pg_wal");
    }
}
