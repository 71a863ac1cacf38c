package io.xenondb.cli.waldump;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** waldump on a real pg_wal directory lists exactly the records pg_walinspect lists for the same LSN range. */
class WaldumpVsWalinspectIT {
    private static final Pattern LINE =
            Pattern.compile("^rmgr: (\\S+)\\s+len \\(rec/tot\\):\\s*(\\d+)/\\s*(\\d+), tx:\\s*(\\d+),"
                    + " lsn: ([0-9A-F]+/[0-9A-F]+), prev ([0-9A-F]+/[0-9A-F]+), desc: ([^,]+)(, .*)?$");

    @Test
    @Timeout(180)
    void listsExactlyWhatPgWalinspectLists(@TempDir Path tmp) throws SQLException {
        try (PostgresCluster cluster =
                PostgresCluster.initdb(PostgresBinaries.bundled(), tmp.resolve("data"), InitdbOptions.defaults())) {
            cluster.writeConfig(Map.of("wal_level", "replica", "wal_keep_size", "1GB", "autovacuum", "off"));
            cluster.start(FreePorts.allocate(), Duration.ofSeconds(60));
            try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.superuser(), "");
                    Statement s = c.createStatement()) {
                s.execute("create extension pg_walinspect");
                String start = text(s, "select pg_current_wal_insert_lsn()");
                s.execute("create table t (id int primary key, v text)");
                s.execute("insert into t select g, md5(g::text) from generate_series(1, 2000) g");
                s.execute("checkpoint");
                s.execute("update t set v = v || '!' where id % 4 = 0");
                s.execute("delete from t where id % 9 = 0");
                s.execute("select pg_logical_emit_message(false, 'x', repeat('y', 30000))");
                s.execute("select pg_switch_wal()");
                s.execute("insert into t values (-1, 'after switch')");
                s.execute("checkpoint");
                String end = text(s, "select pg_current_wal_flush_lsn()");

                List<String> expected = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select start_lsn, prev_lsn, xid, resource_manager,"
                        + " record_type, record_length, record_length - fpi_length"
                        + " from pg_get_wal_records_info(?::pg_lsn, ?::pg_lsn)")) {
                    ps.setString(1, start);
                    ps.setString(2, end);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            expected.add(String.join(
                                    " ",
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7)));
                        }
                    }
                }

                Path pgWal = cluster.dataDir().resolve("pg_wal");
                String[] dump = run(pgWal.toString(), "--start", start, "--end", end);
                List<String> actual = new ArrayList<>();
                for (String line : dump) {
                    Matcher m = LINE.matcher(line);
                    assertThat(m.matches()).as("line: %s", line).isTrue();
                    actual.add(String.join(
                            " ", m.group(5), m.group(6), m.group(4), m.group(1), m.group(7), m.group(3), m.group(2)));
                }
                assertThat(expected).hasSizeGreaterThan(5000);
                assertThat(actual).containsExactlyElementsOf(expected);

                String[] stats = run(pgWal.toString(), "--start", start, "--end", end, "--stats");
                assertThat(stats[stats.length - 1]).startsWith("Total").contains(" " + expected.size() + " ");
            }
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new WaldumpCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        assertThat(err.toString()).isEmpty();
        assertThat(exit).isZero();
        return out.toString().split("\n");
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
