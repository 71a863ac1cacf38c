package io.xenondb.cli.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

/** Loopback ports: whether one is free, and picking the seed's default or the next free one above it. */
public final class Ports {
    private final Set<Integer> taken = new HashSet<>();

    /** {@code preferred} if nothing listens there and this picker has not handed it out, else the next such port. */
    public int pick(int preferred) {
        for (int port = preferred; port < preferred + 1000 && port < 65536; port++) {
            if (!taken.contains(port) && isFree(port)) {
                taken.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + preferred + ".." + (preferred + 999) + " on 127.0.0.1");
    }

    /** Whether nothing listens on 127.0.0.1:{@code port} and it can be bound. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            return false;
        }
        return !answers("127.0.0.1", port);
    }

    /** Whether something accepts TCP connections at {@code host:port}. */
    public static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
