package io.xenondb.storagenode.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.ShardIndex;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;

/**
 * Carries the page service's metadata headers ({@code neon-tenant-id}, {@code neon-timeline-id},
 * {@code neon-shard-id}) into the call's context, where {@link #tenant()} and {@link #timeline()} read and check
 * them.
 */
public final class PageServiceHeaders implements ServerInterceptor {
    static final Metadata.Key<String> TENANT = Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TIMELINE = Metadata.Key.of("neon-timeline-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> SHARD = Metadata.Key.of("neon-shard-id", Metadata.ASCII_STRING_MARSHALLER);

    private static final Context.Key<String> TENANT_KEY = Context.key("neon-tenant-id");
    private static final Context.Key<String> TIMELINE_KEY = Context.key("neon-timeline-id");
    private static final Context.Key<String> SHARD_KEY = Context.key("neon-shard-id");

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final io.xenondb.storagenode.auth.StorageNodeAuth auth;

    /** Headers only, no authentication (tests of the page service alone). */
    public PageServiceHeaders() {
        this(new io.xenondb.storagenode.auth.StorageNodeAuth(java.util.Optional.empty(), java.time.Clock.systemUTC()));
    }

    /** Headers, and the token of every page service call checked with {@code auth}. */
    public PageServiceHeaders(io.xenondb.storagenode.auth.StorageNodeAuth auth) {
        this.auth = auth;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (auth.enabled()
                && call.getMethodDescriptor().getServiceName() != null
                && call.getMethodDescriptor().getServiceName().equals("page_api.PageService")) {
            try {
                String tenant = headers.get(TENANT);
                auth.check(
                        headers.get(AUTHORIZATION),
                        tenant == null
                                ? java.util.Optional.empty()
                                : java.util.Optional.of(TenantId.parse(tenant.strip())));
            } catch (XenonException e) {
                call.close(io.xenondb.shared.error.GrpcErrors.toStatus(e).getStatus(), new Metadata());
                return new ServerCall.Listener<>() {};
            }
        }
        Context context = Context.current()
                .withValue(TENANT_KEY, headers.get(TENANT))
                .withValue(TIMELINE_KEY, headers.get(TIMELINE))
                .withValue(SHARD_KEY, headers.get(SHARD));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** The tenant shard the current call names; INVALID_ARGUMENT if its headers are missing or malformed. */
    static TenantShardId tenant() {
        TenantId tenant = TenantId.parse(required(TENANT_KEY.get(), "neon-tenant-id", "32 hex chars"));
        String shard = SHARD_KEY.get();
        if (shard == null || shard.isBlank()) {
            return TenantShardId.unsharded(tenant);
        }
        ShardIndex index = ShardIndex.parse(shard.strip());
        return new TenantShardId(tenant, index);
    }

    /** The timeline the current call names; INVALID_ARGUMENT if its header is missing or malformed. */
    static TimelineId timeline() {
        return TimelineId.parse(required(TIMELINE_KEY.get(), "neon-timeline-id", "32 hex chars"));
    }

    private static String required(String value, String header, String expected) {
        if (value == null || value.isBlank()) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, header + ": missing header (expected: " + expected + ")");
        }
        return value.strip();
    }
}
