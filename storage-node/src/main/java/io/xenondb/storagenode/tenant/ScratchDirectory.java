package io.xenondb.storagenode.tenant;

import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's scratch directory ({@code <workdir>/tmp}): replay workers and bootstraps run PostgreSQL there. A node
 * that was killed leaves their postmasters running (they do not die with their parent); at start they are
 * stopped — each by the pid its own {@code postmaster.pid} names, and only if that process is a postgres whose
 * command line names that directory — and the directory is emptied.
 */
final class ScratchDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchDirectory.class);

    private ScratchDirectory() {}

    static void clean(Path tmp) throws IOException {
        if (!Files.isDirectory(tmp)) {
            return;
        }
        List<Path> pidFiles;
        try (Stream<Path> files = Files.walk(tmp, 4)) {
            pidFiles = files.filter(p -> p.getFileName().toString().equals("postmaster.pid"))
                    .toList();
        }
        for (Path pidFile : pidFiles) {
            stopPostmaster(pidFile);
        }
        FileTrees.deleteRecursively(tmp);
    }

    private static void stopPostmaster(Path pidFile) {
        Path dataDir = pidFile.getParent();
        try {
            String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream()
                    .findFirst()
                    .orElse("")
                    .strip();
            long pid = Long.parseLong(first);
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !isPostgresOf(pid, dataDir)) {
                return;
            }
            LOG.warn("stopping PostgreSQL (pid {}) left running in {} by an earlier run", pid, dataDir);
            handle.get().destroyForcibly();
            handle.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException
                | NumberFormatException
                | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            LOG.warn("could not stop the PostgreSQL of {}: {}", dataDir, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isPostgresOf(long pid, Path dataDir) throws IOException {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        if (!Files.exists(cmdline)) {
            return false;
        }
        String command = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
        return command.contains("postgres")
                && command.contains(dataDir.getFileName().toString());
    }
}
