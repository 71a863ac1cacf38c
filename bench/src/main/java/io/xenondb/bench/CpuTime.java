package io.xenondb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of processes from {@code /proc/<pid>/stat} (Linux), in seconds; 0 for a process that is gone. */
final class CpuTime {
    // USER_HZ: the unit of the times in /proc/<pid>/stat; 100 on every Linux architecture we run on.
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuTime() {}

    /** User + system time of the process itself. */
    static double self(long pid) {
        long[] t = ticks(pid);
        return (t[0] + t[1]) / TICKS_PER_SECOND;
    }

    /** User + system time of the children the process has waited for (exited pgbench runs, PostgreSQL backends). */
    static double reapedChildren(long pid) {
        long[] t = ticks(pid);
        return (t[2] + t[3]) / TICKS_PER_SECOND;
    }

    /**
     * A whole process tree: the process, its reaped children, and its live descendants (a postmaster's backends
     * are reaped by the postmaster, so a backend's time counts once either way).
     */
    static double tree(long pid) {
        double total = self(pid) + reapedChildren(pid);
        for (ProcessHandle child :
                ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(java.util.List.of())) {
            total += self(child.pid());
        }
        return total;
    }

    /** utime, stime, cutime, cstime in ticks; zeros if the process is gone. */
    private static long[] ticks(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return new long[4];
        }
        // The command name (field 2) may hold spaces and parentheses: fields after it start at the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state); utime is field 14.
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }
}
