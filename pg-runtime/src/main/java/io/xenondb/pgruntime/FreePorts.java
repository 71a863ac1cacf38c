package io.xenondb.pgruntime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out TCP ports that are free on 127.0.0.1 right now. One JVM does not hand out a port again until
 * thousands of others have been handed out, so parallel tests do not collide with each other. Ports come from
 * below Linux's default ephemeral range (32768-60999), where outgoing connections do not take them between
 * allocation and bind.
 */
public final class FreePorts {
    private static final int LOW = 20000;
    private static final int HIGH = 32768;
    private static final int ATTEMPTS = 200;
    // The most recent ports handed out; older ones may come back, so a long-lived process never runs out.
    private static final int REMEMBERED = 4096;
    private static final Set<Integer> HANDED_OUT =
            Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<Integer, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));
    private static final InetAddress LOOPBACK = loopback();

    private FreePorts() {}

    /** A TCP port that nothing listens on at 127.0.0.1 and that this JVM has not handed out recently. */
    public static int allocate() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!HANDED_OUT.contains(port) && isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        // The low range is crowded: let the kernel pick an ephemeral port instead.
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new PostgresRuntimeException("free port: cannot bind a socket on 127.0.0.1: " + e, e);
            }
        }
        throw new PostgresRuntimeException("free port: none found on 127.0.0.1 after " + 2 * ATTEMPTS + " tries");
    }

    private static InetAddress loopback() {
        try {
            // 127.0.0.1 exactly: Postgres listens there, and getLoopbackAddress() may answer ::1.
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Whether a listener could bind {@code port} on 127.0.0.1 now. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Stricter than Postgres (which sets SO_REUSEADDR): skipping a port in TIME_WAIT costs nothing.
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
