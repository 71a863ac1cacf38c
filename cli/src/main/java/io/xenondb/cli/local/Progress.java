package io.xenondb.cli.local;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Progress of anything that may take more than a second: silent at first, then one line on the error stream
 * that grows a dot every second, ended with the time taken.
 */
public final class Progress {
    private static final long QUIET_NANOS = Duration.ofSeconds(1).toNanos();

    private final PrintWriter err;

    public Progress(PrintWriter err) {
        this.err = err;
    }

    public Task task(String what) {
        return new Task(what);
    }

    /** One operation; {@link #tick} it while waiting, close it when done. */
    public final class Task implements AutoCloseable {
        private final String what;
        private final long started = System.nanoTime();
        private long shownSeconds;

        private Task(String what) {
            this.what = what;
        }

        public void tick() {
            long elapsed = System.nanoTime() - started;
            if (elapsed < QUIET_NANOS) {
                return;
            }
            long seconds = elapsed / 1_000_000_000L;
            if (shownSeconds == 0) {
                err.print(what + " ");
                shownSeconds = 1;
            }
            while (shownSeconds < seconds) {
                err.print(".");
                shownSeconds++;
            }
            err.flush();
        }

        @Override
        public void close() {
            if (shownSeconds > 0) {
                err.printf(" %.1f s%n", (System.nanoTime() - started) / 1e9);
                err.flush();
            }
        }
    }
}
