package io.xenondb.broker.grpc;

import com.google.protobuf.Empty;
import io.xenondb.broker.hub.BrokerHub;
import io.xenondb.broker.hub.BrokerMessage;
import io.xenondb.broker.hub.SubscriptionFilter;
import io.xenondb.broker.hub.TimelineIds;
import io.xenondb.broker.metrics.BrokerMetrics;
import io.xenondb.proto.broker.FilterTenantTimelineId;
import io.xenondb.proto.broker.MessageType;
import io.xenondb.proto.broker.ReactorBrokerServiceGrpc;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.proto.broker.SubscribeByFilterRequest;
import io.xenondb.proto.broker.SubscribeSafekeeperInfoRequest;
import io.xenondb.proto.broker.TypeSubscription;
import io.xenondb.proto.broker.TypedMessage;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.error.XenonException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code storage_broker.BrokerService} over a {@link BrokerHub}, with Neon's request semantics. */
public final class BrokerGrpcService extends ReactorBrokerServiceGrpc.BrokerServiceImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerGrpcService.class);
    private static final Set<MessageType> TIMELINE_STATE = Set.of(MessageType.SAFEKEEPER_TIMELINE_INFO);

    private final BrokerHub hub;
    private final BrokerMetrics metrics;
    private final AtomicLong nextPublisherId = new AtomicLong();

    public BrokerGrpcService(BrokerHub hub, BrokerMetrics metrics) {
        this.hub = hub;
        this.metrics = metrics;
    }

    @Override
    public Flux<SafekeeperTimelineInfo> subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest request) {
        SubscriptionFilter filter = switch (request.getSubscriptionKeyCase()) {
            case ALL -> SubscriptionFilter.all(TIMELINE_STATE);
            case TENANT_TIMELINE_ID ->
                SubscriptionFilter.timeline(TimelineIds.fromProto(true, request.getTenantTimelineId()), TIMELINE_STATE);
            case SUBSCRIPTIONKEY_NOT_SET ->
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "subscription_key: missing (expected: all or tenant_timeline_id)");
        };
        return hub.subscribe(filter, PeerInterceptor.currentPeer())
                .map(message -> message.typed().getSafekeeperTimelineInfo());
    }

    @Override
    public Flux<TypedMessage> subscribeByFilter(SubscribeByFilterRequest request) {
        Set<MessageType> types = EnumSet.noneOf(MessageType.class);
        for (TypeSubscription subscription : request.getTypesList()) {
            // Like Neon, a type the broker does not know simply never matches.
            if (subscription.getType() != MessageType.UNKNOWN && subscription.getType() != MessageType.UNRECOGNIZED) {
                types.add(subscription.getType());
            }
        }
        FilterTenantTimelineId only = request.getTenantTimelineId();
        SubscriptionFilter filter = request.hasTenantTimelineId() && only.getEnabled()
                ? SubscriptionFilter.timeline(
                        TimelineIds.fromProto(only.hasTenantTimelineId(), only.getTenantTimelineId()), types)
                : SubscriptionFilter.all(types);
        return hub.subscribe(filter, PeerInterceptor.currentPeer()).map(BrokerMessage::typed);
    }

    @Override
    public Mono<Empty> publishSafekeeperInfo(Flux<SafekeeperTimelineInfo> request) {
        String peer = PeerInterceptor.currentPeer();
        return Mono.defer(() -> {
            long id = nextPublisherId.getAndIncrement();
            metrics.publisherOpened();
            LOG.info("publication started id={} peer={}", id, peer);
            Mono<Empty> publishing = request.doOnNext(info -> hub.publish(BrokerMessage.of(info)))
                    .then(Mono.just(Empty.getDefaultInstance()));
            // WAL nodes never end their streams; a stopping broker ends them so that they reconnect elsewhere.
            Mono<Empty> shutdown = hub.closed()
                    .then(Mono.error(() -> new XenonException(ErrorCode.UNAVAILABLE, "broker is shutting down")));
            return Mono.firstWithSignal(publishing, shutdown).doFinally(signal -> {
                metrics.publisherClosed();
                LOG.info("publication ended id={} peer={} ({})", id, peer, signal);
            });
        });
    }

    @Override
    public Mono<Empty> publishOne(TypedMessage request) {
        BrokerMessage message = BrokerMessage.of(request);
        metrics.publishedOneOff();
        hub.publish(message);
        return Mono.just(Empty.getDefaultInstance());
    }

    @Override
    protected Throwable onErrorMap(Throwable throwable) {
        return GrpcErrors.toStatus(throwable);
    }
}
