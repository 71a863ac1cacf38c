package io.xenondb.compute.ctl;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT mean {@code /terminate}: stop PostgreSQL cleanly, then exit 0 as after the route. The JVM's
 * default (shutdown hooks, then status 143) would leave no room to stop in order, so compute_ctl takes the signals
 * itself; where it cannot (the JVM runs with -Xrs), a shutdown hook does the same stop, and the status is the JVM's.
 */
final class StopSignals {
    private StopSignals() {}

    static void install(Runnable terminate) {
        Runnable once = new Runnable() {
            private boolean started;

            @Override
            public synchronized void run() {
                if (!started) {
                    started = true;
                    Thread.ofVirtual().name("compute-stop-signal").start(terminate);
                }
            }
        };
        try {
            Signal.handle(new Signal("TERM"), signal -> once.run());
            Signal.handle(new Signal("INT"), signal -> once.run());
        } catch (IllegalArgumentException e) {
            Runtime.getRuntime().addShutdownHook(new Thread(terminate, "compute-stop-hook"));
        }
    }
}
