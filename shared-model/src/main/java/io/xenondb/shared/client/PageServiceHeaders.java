package io.xenondb.shared.client;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;

/**
 * The metadata every page service call carries (Neon's {@code neon-tenant-id}, {@code neon-shard-id},
 * {@code neon-timeline-id}, and {@code authorization} when the storage node checks tokens), for clients.
 */
public final class PageServiceHeaders {
    public static final Metadata.Key<String> TENANT = key("neon-tenant-id");
    public static final Metadata.Key<String> SHARD = key("neon-shard-id");
    public static final Metadata.Key<String> TIMELINE = key("neon-timeline-id");
    public static final Metadata.Key<String> AUTHORIZATION = key("authorization");

    private PageServiceHeaders() {}

    /** The headers naming {@code timeline} of {@code tenant}. */
    public static Metadata of(TenantShardId tenant, TimelineId timeline) {
        Metadata headers = new Metadata();
        headers.put(TENANT, tenant.tenantId().toString());
        headers.put(SHARD, tenant.shard().toString());
        headers.put(TIMELINE, timeline.toString());
        return headers;
    }

    /** {@code channel}, sending {@code token} (if not null) as {@code authorization: Bearer} on every call. */
    public static Channel withToken(Channel channel, String token) {
        if (token == null) {
            return channel;
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
