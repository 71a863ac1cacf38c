package io.xenondb.pgruntime.internal;

import java.time.Duration;
import java.util.List;

/** Sends POSIX signals by pid through kill(1): Java itself can only send TERM and KILL. */
public final class Signals {
    private Signals() {}

    /**
     * Sends {@code signal} (a name such as INT or QUIT) to {@code pid}.
     *
     * @return false when the process no longer exists or refused the signal
     */
    public static boolean send(long pid, String signal) {
        return Commands.run(List.of("kill", "-s", signal, Long.toString(pid)), Duration.ofSeconds(10))
                .succeeded();
    }
}
