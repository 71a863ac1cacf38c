package io.xenondb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XenonCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return XenonCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: xenon").contains("start");
    }

    @Test
    void unknownCommandIsOneClearLineAndExitTwo() {
        assertThat(run("bogus")).isEqualTo(2);
        assertThat(err.toString().lines())
                .containsExactly("xenon: Unmatched argument at index 0: 'bogus' (see 'xenon --help')");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void commandsOfASystemWithoutARepositorySayToInitFirst(@TempDir Path dir) {
        System.setProperty("xenon.repo-dir", dir.resolve("repo").toString());
        try {
            assertThat(run("status")).isEqualTo(2);
            assertThat(err.toString().strip())
                    .isEqualTo("xenon: no Xenon repository at " + dir.resolve("repo") + " (run 'xenon init' first)");
        } finally {
            System.clearProperty("xenon.repo-dir");
        }
    }

    @Test
    void initTwiceIsRefusedAndChangesNothing(@TempDir Path dir) throws IOException {
        Path repo = dir.resolve("repo");
        System.setProperty("xenon.repo-dir", repo.toString());
        try {
            assertThat(run("init", "--num-safekeepers", "3")).isZero();
            assertThat(out.toString()).contains("Initializing pageserver node 1 at '127.0.0.1:");
            String config = Files.readString(repo.resolve("config.json"));
            assertThat(config).contains("\"safekeepers\"").contains("\"availability_zone\" : \"local-c\"");

            assertThat(run("init")).isEqualTo(2);
            assertThat(err.toString().strip())
                    .isEqualTo("xenon: a Xenon system is already initialized at " + repo
                            + " (use 'xenon init --force' to wipe it and start over)");
            assertThat(Files.readString(repo.resolve("config.json"))).isEqualTo(config);

            assertThat(run("init", "--force", "--num-safekeepers", "1")).isZero();
            assertThat(Files.readString(repo.resolve("config.json"))).doesNotContain("local-c");
            assertThat(run("init", "--force", "--num-pageservers", "0")).isEqualTo(2);
            assertThat(err.toString()).contains("--num-pageservers: 0 (expected: 1 to 8)");
        } finally {
            System.clearProperty("xenon.repo-dir");
        }
    }
}
