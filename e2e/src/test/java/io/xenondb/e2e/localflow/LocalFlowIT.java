package io.xenondb.e2e.localflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed README's "Running neon database" steps with {@code ./xenon} in place of {@code cargo neon}, then
 * restarts, a read-only endpoint at an LSN, idle suspend and bad usage. One system for the class; every step
 * drives only the CLI and SQL over JDBC.
 */
@Tag("local-flow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalFlowIT {
    private static final Pattern STARTING =
            Pattern.compile("Starting postgres at 'postgresql://cloud_admin@127\\.0\\.0\\.1:(\\d+)/postgres'");
    private static final Pattern LSN = Pattern.compile("at Lsn ([0-9A-F]+/[0-9A-F]+)");

    private static Xenon xenon;
    private static int mainPort;
    private static int branchPort;
    private static String lsnBeforeRow3;

    @BeforeAll
    static void init() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path dir = Path.of("target", "local-flow").toAbsolutePath();
        FileTrees.deleteRecursively(dir);
        xenon = new Xenon(root, dir.resolve("repo"), dir.resolve("commands"));
    }

    @AfterAll
    static void stopEverything() {
        if (xenon != null) {
            xenon.run("stop", "--mode", "immediate");
        }
    }

    @Test
    @Order(1)
    void theReadmeFlow() throws SQLException {
        // 1. init and start
        assertThat(xenon.run("init").ok().out()).contains("Initializing pageserver node 1 at '127.0.0.1:");
        String started = xenon.run("start").ok().out();
        assertThat(started)
                .contains("storage_broker started, pid: ")
                .contains("pageserver 1 started, pid: ")
                .contains("safekeeper 1 started, pid: ")
                .contains("safekeeper 3 started, pid: ");

        // 2. a tenant, the main endpoint, SQL
        String created = xenon.run("tenant", "create", "--set-default").ok().out();
        assertThat(created.lines().toList()).hasSize(3).satisfies(lines -> {
            assertThat(lines.get(0)).matches("tenant [0-9a-f]{32} successfully created on the pageserver");
            assertThat(lines.get(1)).matches("Created an initial timeline '[0-9a-f]{32}' at Lsn [0-9A-F]+/[0-9A-F]+");
            assertThat(lines.get(2)).matches("Setting tenant [0-9a-f]{32} as a default one");
        });
        xenon.run("endpoint", "create", "main").ok();
        mainPort = startedPort(xenon.run("endpoint", "start", "main").ok().out(), "main");
        sql(mainPort, "CREATE TABLE t(key int primary key, value text)");
        sql(mainPort, "INSERT INTO t VALUES (1, '1')");
        assertThat(rows(mainPort)).containsExactly("1,1");

        // 3. a branch, its endpoint, isolation both ways
        String branched = xenon.run("timeline", "branch", "--branch-name", "migration_check")
                .ok()
                .out();
        assertThat(branched.lines().toList()).hasSize(2).satisfies(lines -> {
            assertThat(lines.get(0)).matches("Created timeline '[0-9a-f]{32}' at Lsn [0-9A-F]+/[0-9A-F]+");
            assertThat(lines.get(1)).isEqualTo("Ancestor timeline: 'main'");
        });
        lsnBeforeRow3 = match(LSN, branched);
        String tree = xenon.run("timeline", "list").ok().out();
        assertThat(tree.lines().toList()).hasSize(2).satisfies(lines -> {
            assertThat(lines.get(0)).matches("main \\[[0-9a-f]{32}\\]");
            assertThat(lines.get(1))
                    .matches("┗━ @" + Pattern.quote(lsnBeforeRow3) + ": migration_check \\[[0-9a-f]{32}\\]");
        });
        xenon.run("endpoint", "create", "migration_check", "--branch-name", "migration_check")
                .ok();
        branchPort = startedPort(
                xenon.run("endpoint", "start", "migration_check").ok().out(), "migration_check");
        assertThat(rows(branchPort)).containsExactly("1,1");
        sql(branchPort, "INSERT INTO t VALUES (2, '2')");
        sql(mainPort, "INSERT INTO t VALUES (3, '3')");
        assertThat(rows(branchPort)).containsExactly("1,1", "2,2");
        assertThat(rows(mainPort)).containsExactly("1,1", "3,3");

        // 4. both running
        String list = xenon.run("endpoint", "list").ok().out();
        assertThat(list.lines().findFirst().orElseThrow())
                .matches(" ENDPOINT\\s+ADDRESS\\s+TIMELINE\\s+BRANCH NAME\\s+LSN\\s+STATUS");
        assertThat(list)
                .containsPattern("main\\s+127\\.0\\.0\\.1:" + mainPort + "\\s+[0-9a-f]{32}\\s+main\\s+\\S+\\s+running");
        assertThat(list)
                .containsPattern("migration_check\\s+127\\.0\\.0\\.1:" + branchPort
                        + "\\s+[0-9a-f]{32}\\s+migration_check\\s+\\S+\\s+running");
    }

    @Test
    @Order(2)
    void stopAndStartBringAllDataBack() throws SQLException {
        xenon.run("endpoint", "stop", "main").ok();
        assertThat(xenon.run("endpoint", "list").ok().out()).containsPattern("main\\s+.*stopped");
        assertThat(startedPort(xenon.run("endpoint", "start", "main").ok().out(), "main"))
                .isEqualTo(mainPort);
        assertThat(rows(mainPort)).containsExactly("1,1", "3,3");

        List<Long> pids = servicePids();
        assertThat(pids).hasSizeGreaterThanOrEqualTo(7); // broker, controller, pageserver, 3 safekeepers, 2 computes
        xenon.run("stop").ok();
        assertThat(pids)
                .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                        .as("process %d after xenon stop", pid)
                        .isNotEqualTo(java.util.Optional.of(true)));
        assertThat(portAnswers(mainPort)).isFalse();

        xenon.run("start").ok();
        xenon.run("endpoint", "start", "main").ok();
        xenon.run("endpoint", "start", "migration_check").ok();
        assertThat(rows(mainPort)).containsExactly("1,1", "3,3");
        assertThat(rows(branchPort)).containsExactly("1,1", "2,2");
    }

    @Test
    @Order(3)
    void aReadOnlyEndpointAtAnLsnSeesThatLsnsData() throws SQLException {
        xenon.run("endpoint", "create", "at_branch_point", "--lsn", lsnBeforeRow3)
                .ok();
        int port = startedPort(
                xenon.run("endpoint", "start", "at_branch_point").ok().out(), "at_branch_point");
        assertThat(rows(port)).containsExactly("1,1");
        assertThatThrownBy(() -> sql(port, "INSERT INTO t VALUES (4, '4')"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("read-only transaction");
        assertThat(xenon.run("endpoint", "list").ok().out())
                .containsPattern("at_branch_point\\s+127\\.0\\.0\\.1:" + port + "\\s+[0-9a-f]{32}\\s+main\\s+"
                        + Pattern.quote(lsnBeforeRow3) + "\\s+running");
        xenon.run("endpoint", "stop", "at_branch_point", "--destroy").ok();
    }

    @Test
    @Order(4)
    void anIdleComputeSuspendsItselfAndComesBackWithItsData() throws SQLException, InterruptedException {
        // Its own branch: one primary per timeline (main's endpoint is running).
        xenon.run("timeline", "branch", "--branch-name", "idle_branch").ok();
        xenon.run("endpoint", "create", "idle", "--branch-name", "idle_branch", "--suspend-timeout", "10s")
                .ok();
        int port = startedPort(xenon.run("endpoint", "start", "idle").ok().out(), "idle");
        sql(port, "INSERT INTO t VALUES (5, '5')");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String list = "";
        while (System.nanoTime() < deadline) {
            list = xenon.run("endpoint", "list").ok().out();
            if (list.lines().anyMatch(l -> l.startsWith(" idle ") && l.endsWith("suspended"))) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(list).as("endpoint list after the idle timeout").containsPattern(" idle\\s+.*suspended");
        assertThat(portAnswers(port)).isFalse();
        xenon.run("endpoint", "start", "idle").ok();
        assertThat(rows(port)).containsExactly("1,1", "3,3", "5,5");
    }

    @Test
    @Order(5)
    void theOtherCommands() throws SQLException {
        String tenants = xenon.run("tenant", "list").ok().out();
        assertThat(tenants.lines().filter(l -> l.endsWith("(default)")).count()).isEqualTo(1);

        String created =
                xenon.run("timeline", "create", "--branch-name", "scratch").ok().out();
        assertThat(created)
                .matches("(?s)Created timeline '[0-9a-f]{32}' at Lsn [0-9A-F]+/[0-9A-F]+ for tenant: [0-9a-f]{32}\\s*");
        String scratch = match(Pattern.compile("Created timeline '([0-9a-f]{32})'"), created);
        String tenant = match(Pattern.compile("for tenant: ([0-9a-f]{32})"), created);
        assertThat(xenon.run("timeline", "list").ok().out()).contains("scratch [" + scratch + "]");
        assertThat(xenon.run(
                                "mappings",
                                "map",
                                "--tenant-id",
                                tenant,
                                "--timeline-id",
                                scratch,
                                "--branch-name",
                                "again")
                        .ok()
                        .out())
                .contains("Mapped branch 'again' to timeline " + scratch);

        // One WAL node away: commits still reach a quorum. Back, and a storage node restart: data still there.
        assertThat(xenon.run("safekeeper", "stop", "3").ok().out()).contains("Stopped safekeeper 3");
        sql(mainPort, "INSERT INTO t VALUES (6, '6')");
        assertThat(xenon.run("safekeeper", "start", "3").ok().out()).contains("safekeeper 3 started, pid: ");
        assertThat(xenon.run("pageserver", "restart").ok().out()).contains("pageserver 1 started, pid: ");
        assertThat(rows(mainPort)).containsExactly("1,1", "3,3", "6,6");
        xenon.run("endpoint", "stop", "main").ok();
        xenon.run("endpoint", "start", "main").ok();
        assertThat(rows(mainPort)).containsExactly("1,1", "3,3", "6,6");
        assertThat(xenon.run("status").ok().out()).doesNotContain("stopped");
    }

    @Test
    @Order(6)
    void badUsageIsOneClearLineAndChangesNothing() throws IOException {
        Path config = xenon.repo().resolve("config.json");
        String before = Files.readString(config, StandardCharsets.UTF_8);
        List<String> endpointsBefore = endpointNames();

        assertThat(xenon.run("timeline", "list", "--tenant-id", "00000000000000000000000000000001")
                        .failure())
                .contains("00000000000000000000000000000001");
        assertThat(xenon.run("endpoint", "create", "x", "--branch-name", "nope").failure())
                .contains("branch 'nope': no such branch");
        assertThat(xenon.run("timeline", "branch", "--branch-name", "y", "--ancestor-branch-name", "nope")
                        .failure())
                .contains("ancestor branch 'nope': no such branch");
        assertThat(xenon.run("endpoint", "start", "nope").failure()).contains("endpoint nope: no such endpoint");
        assertThat(xenon.run("endpoint", "start", "main").failure()).contains("endpoint main is running already");
        assertThat(xenon.run("pageserver", "start").failure()).contains("pageserver 1 is running already");
        xenon.run("endpoint", "create", "second_primary").ok(); // on main, whose primary runs
        assertThat(xenon.run("endpoint", "start", "second_primary").failure())
                .contains("endpoint main is running as the primary of timeline");
        xenon.run("endpoint", "stop", "second_primary", "--destroy").ok();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(xenon.run("endpoint", "create", "z", "--pg-port", Integer.toString(taken.getLocalPort()))
                            .failure())
                    .contains("port " + taken.getLocalPort() + " is in use");
        }
        assertThat(xenon.run("init").failure()).contains("already initialized");
        assertThat(xenon.run("timeline", "branch", "--branch-name", "migration_check")
                        .failure())
                .contains("branch 'migration_check' exists already");
        assertThat(xenon.run("endpoint", "create", "bad", "--lsn", "0/XYZ").failure())
                .contains("0/XYZ");

        assertThat(Files.readString(config, StandardCharsets.UTF_8)).isEqualTo(before);
        assertThat(endpointNames()).isEqualTo(endpointsBefore);
    }

    @Test
    @Order(7)
    void stopLeavesNoProcessBehind() {
        List<Long> pids = servicePids();
        assertThat(pids).isNotEmpty();
        xenon.run("stop").ok();
        assertThat(pids)
                .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                        .as("process %d after xenon stop", pid)
                        .isEmpty());
        assertThat(portAnswers(mainPort)).isFalse();
        assertThat(portAnswers(branchPort)).isFalse();
    }

    private static int startedPort(String out, String name) {
        assertThat(out).contains("Starting new endpoint " + name + " (PostgreSQL v17) on timeline ");
        return Integer.parseInt(match(STARTING, out));
    }

    private static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }

    /** Every pid in the repo's pid files, and the postmasters of the endpoints. */
    private static List<Long> servicePids() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.walk(xenon.repo())) {
            for (Path f : files.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".pid") || name.equals("postmaster.pid");
                    })
                    .toList()) {
                String first =
                        Files.readAllLines(f).stream().findFirst().orElse("").strip();
                if (first.matches("\\d+")) {
                    pids.add(Long.parseLong(first));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return pids;
    }

    private static List<String> endpointNames() throws IOException {
        Path dir = xenon.repo().resolve("endpoints");
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean portAnswers(int port) {
        try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "cloud_admin", "");
    }

    private static void sql(int port, String statement) throws SQLException {
        try (Connection c = connect(port);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static List<String> rows(int port) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(port);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT key, value FROM t ORDER BY key")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "," + rs.getString(2));
            }
        }
        return rows;
    }
}
