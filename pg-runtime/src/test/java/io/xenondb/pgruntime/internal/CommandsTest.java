package io.xenondb.pgruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
    @Test
    void capturesOutputAndExitCode() {
        Commands.Result result =
                Commands.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("out").contains("err");
        assertThatThrownBy(() -> result.orThrow("probe"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("probe: sh -c")
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("err");
    }

    @Test
    void aHangingCommandIsKilledAtTheTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Commands.run(List.of("sleep", "30"), Duration.ofMillis(200)))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("did not finish within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingProgramIsATypedError() {
        assertThatThrownBy(() -> Commands.run(List.of("/nonexistent/xenon-probe"), Duration.ofSeconds(5)))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("cannot run /nonexistent/xenon-probe");
    }

    @Test
    void tailKeepsTheLastLinesWrittenSinceAnOffset(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("x.log");
        Files.writeString(log, "old run\n");
        long offset = Files.size(log);
        Files.writeString(
                log,
                IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n")),
                StandardOpenOption.APPEND);
        String tail = Commands.tail(log, offset);
        assertThat(tail.lines()).hasSize(20).startsWith("line 11").endsWith("line 30");
        assertThat(Commands.tail(log, Files.size(log))).isEmpty();
        assertThat(Commands.tail(dir.resolve("missing.log"), 0)).isEmpty();
    }
}
