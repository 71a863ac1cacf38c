package io.xenondb.pgruntime.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The postmasters this JVM started and has not seen exit. A shutdown hook stops them, so that a test JVM that
 * ends without closing its clusters does not leave servers (and their ports and shared memory) behind.
 */
public final class LivePostmasters {
    private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private LivePostmasters() {}

    public static void register(ProcessHandle postmaster) {
        installHook();
        LIVE.add(postmaster);
    }

    public static void unregister(ProcessHandle postmaster) {
        LIVE.remove(postmaster);
    }

    private static synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(LivePostmasters::stopAll, "xenon-postmaster-reaper"));
            hookInstalled = true;
        }
    }

    /** Fast shutdown, escalated to immediate after 5 s and to SIGKILL after 2 s more; all servers in parallel. */
    static void stopAll() {
        List<ProcessHandle> alive = LIVE.stream().filter(ProcessHandle::isAlive).toList();
        alive.forEach(handle -> Signals.send(handle.pid(), "INT"));
        awaitExit(alive, 5_000);
        alive.stream().filter(ProcessHandle::isAlive).forEach(handle -> Signals.send(handle.pid(), "QUIT"));
        awaitExit(alive, 2_000);
        alive.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void awaitExit(List<ProcessHandle> handles, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ProcessHandle handle : handles) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // not gone yet: the caller escalates
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
