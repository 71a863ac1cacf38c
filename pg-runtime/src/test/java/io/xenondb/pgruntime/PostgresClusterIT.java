package io.xenondb.pgruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.internal.PostgresUser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** One real PostgreSQL 17 cluster from the Maven-provided binaries, taken through its whole life. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresClusterIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tempDir;

    private static PostgresBinaries binaries;
    private static PostgresCluster cluster;

    @BeforeAll
    static void createCluster() {
        binaries = PostgresBinaries.bundled();
        // @TempDir is mode 0700: as root, initdb must open it to the OS user (the parent may get o+x).
        cluster = PostgresCluster.initdb(binaries, tempDir.resolve("data"), InitdbOptions.defaults());
    }

    @AfterAll
    static void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void bundledBinariesArePostgres17() {
        assertThat(binaries.version()).startsWith("17.");
        assertThat(binaries.binDir().resolve("postgres")).isExecutable();
        assertThat(binaries.libDir()).isDirectory();
        assertThat(cluster.status()).isEqualTo(PostgresStatus.STOPPED);
        assertThat(cluster.pid()).isEmpty();
        assertThat(cluster.dataDir().resolve("PG_VERSION")).hasContent("17");
        assertThat(cluster.logFile()).content().contains("Success");
    }

    @Test
    @Order(2)
    void startsAndRunsSql() throws SQLException {
        cluster.writeConfig(Map.of("work_mem", "7MB", "cluster_name", "it's a \\ test"));
        cluster.start(FreePorts.allocate(), TIMEOUT);

        assertThat(cluster.status()).isEqualTo(PostgresStatus.RUNNING);
        assertThat(cluster.jdbcUrl("postgres"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/postgres");
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            assertThat(query(s, "select version()")).contains("PostgreSQL 17");
            assertThat(query(s, "show work_mem")).isEqualTo("7MB");
            assertThat(query(s, "show cluster_name")).isEqualTo("it's a \\ test");
            assertThat(query(s, "show listen_addresses")).isEqualTo("127.0.0.1");
            // The data directory path is short enough here for the socket to live in it.
            assertThat(query(s, "show unix_socket_directories"))
                    .isEqualTo(cluster.dataDir().toString());
            assertThat(cluster.dataDir().resolve(".s.PGSQL." + cluster.port())).exists();
            s.execute("create table t (id int primary key, name text)");
            s.execute("insert into t values (1, 'one'), (2, 'two')");
            assertThat(query(s, "select string_agg(name, ',' order by id) from t"))
                    .isEqualTo("one,two");
        }
    }

    @Test
    @Order(3)
    void contribExtensionsWork() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("create extension pg_walinspect");
            s.execute("create extension pageinspect");
            String start = query(s, "select pg_current_wal_lsn()");
            s.execute("insert into t values (3, 'three')");
            assertThat(Long.parseLong(query(
                            s,
                            "select sum(count) from pg_get_wal_stats('" + start + "', pg_current_wal_insert_lsn())")))
                    .isPositive();
            assertThat(Integer.parseInt(query(s, "select lower from page_header(get_raw_page('t', 0))")))
                    .isGreaterThan(24);
        }
    }

    @Test
    @Order(4)
    void postmasterRunsAsTheUnprivilegedUserWhenRoot() throws IOException {
        long pid = cluster.pid().orElseThrow();
        long uid = effectiveUid(Path.of("/proc", Long.toString(pid), "status"));
        long ownUid = effectiveUid(Path.of("/proc/self/status"));
        if (ownUid == 0) {
            assertThat(uid).isNotZero();
            assertThat(uid).isEqualTo((long) PostgresUser.get().orElseThrow().uid());
            assertThat(Files.getAttribute(cluster.dataDir(), "unix:uid")).isEqualTo((int) uid);
        } else {
            assertThat(uid).isEqualTo(ownUid);
        }
        assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")))
                .contains(cluster.dataDir().toString());
    }

    @Test
    @Order(5)
    void openSeesTheRunningClusterAndStartTwiceFails() {
        PostgresCluster other = PostgresCluster.open(binaries, cluster.dataDir());
        assertThat(other.status()).isEqualTo(PostgresStatus.RUNNING);
        assertThat(other.pid()).isEqualTo(cluster.pid());
        assertThat(other.port()).isEqualTo(cluster.port());
        assertThatThrownBy(() -> other.start(FreePorts.allocate(), TIMEOUT))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("already running")
                .hasMessageContaining(Long.toString(cluster.pid().orElseThrow()));
    }

    @Test
    @Order(6)
    void fastStopThenStartKeepsData() throws SQLException {
        cluster.stop(StopMode.FAST, TIMEOUT);
        assertThat(cluster.status()).isEqualTo(PostgresStatus.STOPPED);
        assertThat(cluster.pid()).isEmpty();
        assertThat(cluster.dataDir().resolve("postmaster.pid")).doesNotExist();

        cluster.start(FreePorts.allocate(), TIMEOUT);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            assertThat(query(s, "select count(*) from t")).isEqualTo("3");
        }
    }

    @Test
    @Order(7)
    void startOnAPortInUseFailsWithTheLogTailAndLeavesNothingRunning() throws IOException {
        cluster.stop(StopMode.FAST, TIMEOUT);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> cluster.start(taken.getLocalPort(), TIMEOUT))
                    .isInstanceOf(PostgresRuntimeException.class)
                    .hasMessageContaining("exited with code 1")
                    .hasMessageContaining("Address already in use")
                    .hasMessageContaining(cluster.logFile().toString());
        }
        assertThat(cluster.status()).isEqualTo(PostgresStatus.STOPPED);
        assertThat(cluster.pid()).isEmpty();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .noneMatch(child -> child.info().command().orElse("").endsWith("postgres"));
    }

    @Test
    @Order(8)
    void immediateStopThenStartRecoversCommittedData() throws SQLException, IOException {
        cluster.start(FreePorts.allocate(), TIMEOUT);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("insert into t values (4, 'four')");
        }
        cluster.stop(StopMode.IMMEDIATE, TIMEOUT);
        assertThat(cluster.status()).isEqualTo(PostgresStatus.STOPPED);
        long logSize = Files.size(cluster.logFile());

        cluster.start(FreePorts.allocate(), TIMEOUT);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            assertThat(query(s, "select string_agg(name, ',' order by id) from t"))
                    .isEqualTo("one,two,three,four");
        }
        String newLog = Files.readString(cluster.logFile()).substring((int) logSize);
        assertThat(newLog).contains("automatic recovery in progress");
    }

    @Test
    @Order(9)
    void aStandbyWithoutHotStandbyCountsAsStarted() throws IOException {
        cluster.stop(StopMode.FAST, TIMEOUT);
        Path signal = cluster.dataDir().resolve("standby.signal");
        Files.createFile(signal);
        cluster.writeConfig(Map.of("hot_standby", "off"));

        cluster.start(FreePorts.allocate(), TIMEOUT);
        assertThat(cluster.status()).isEqualTo(PostgresStatus.STANDBY);
        // start() hands files the JVM added (as root: root-owned) to the server's OS user.
        assertThat(Files.getAttribute(signal, "unix:uid")).isEqualTo(Files.getAttribute(cluster.dataDir(), "unix:uid"));

        cluster.stop(StopMode.FAST, TIMEOUT);
        Files.delete(signal);
        Map<String, String> removal = new HashMap<>();
        removal.put("hot_standby", null);
        cluster.writeConfig(removal);
        cluster.start(FreePorts.allocate(), TIMEOUT);
        assertThat(cluster.status()).isEqualTo(PostgresStatus.RUNNING);
    }

    @Test
    @Order(10)
    void openStartsACopyMadeByTheJvm() throws IOException, SQLException {
        cluster.stop(StopMode.FAST, TIMEOUT);
        // As a basebackup would arrive: files written by this JVM (as root: owned by root), directory mode 0755.
        Path copy = tempDir.resolve("copy");
        try (Stream<Path> files = Files.walk(cluster.dataDir())) {
            for (Path source : files.toList()) {
                Files.copy(
                        source,
                        copy.resolve(cluster.dataDir().relativize(source).toString()));
            }
        }
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (PostgresCluster opened = PostgresCluster.open(binaries, copy)) {
            assertThat(opened.status()).isEqualTo(PostgresStatus.STOPPED);
            opened.start(FreePorts.allocate(), TIMEOUT);
            try (Connection c = DriverManager.getConnection(opened.jdbcUrl("postgres"), opened.superuser(), "");
                    Statement s = c.createStatement()) {
                assertThat(query(s, "select count(*) from t")).isEqualTo("4");
                assertThat(query(s, "show data_directory")).isEqualTo(copy.toString());
            }
        }
        cluster.start(FreePorts.allocate(), TIMEOUT);
    }

    @Test
    @Order(11)
    void closeStopsTheServer() {
        long pid = cluster.pid().orElseThrow();
        cluster.close();
        assertThat(cluster.status()).isEqualTo(PostgresStatus.STOPPED);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.superuser(), "");
    }

    private static String query(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            assertThat(rows).as(sql).hasSize(1);
            return rows.get(0);
        }
    }

    private static long effectiveUid(Path status) throws IOException {
        String line = Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("Uid:"))
                .findFirst()
                .orElseThrow();
        return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
    }
}
