package io.xenondb.broker.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;

/** Makes the caller's address available to service code, for log lines. */
public final class PeerInterceptor implements ServerInterceptor {
    private static final Context.Key<String> PEER = Context.key("xenon-peer");

    /** The remote address of the current call, or "unknown". */
    public static String currentPeer() {
        String peer = PEER.get();
        return peer == null ? "unknown" : peer;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String peer = remote == null ? "unknown" : remote.toString().replaceFirst("^/", "");
        return Contexts.interceptCall(Context.current().withValue(PEER, peer), call, headers, next);
    }
}
