package io.xenondb.controller.nodes;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.time.Duration;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;

/**
 * Resilience4j around every call to a storage node: a timeout per attempt, retries with exponential backoff for
 * idempotent calls (GET, PUT, DELETE) on "no answer" and 5xx only (a 4xx is an answer, never retried), and a
 * circuit breaker per node, whose open state answers UNAVAILABLE naming the node without calling it.
 */
public final class NodeResilience {
    /** Settings; {@link #defaults()} are the controller's. */
    public record Settings(
            Duration idempotentTimeout,
            Duration otherTimeout,
            int attempts,
            Duration firstBackoff,
            int breakerWindow,
            int breakerMinimumCalls,
            float breakerFailureRate,
            Duration breakerOpenFor) {
        public Settings {
            if (attempts < 1 || breakerWindow < 1 || breakerMinimumCalls < 1) {
                throw new IllegalArgumentException("attempts and breaker window must be positive");
            }
        }

        /**
         * 30 s per idempotent attempt (location_config attaches load a tenant), 2 min for the others (a timeline
         * bootstrap runs initdb); 3 attempts 200 ms apart, doubling; the breaker opens when half of the last 10
         * calls (at least 5) found no node, and tries again after 10 s.
         */
        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(2),
                    3,
                    Duration.ofMillis(200),
                    10,
                    5,
                    50f,
                    Duration.ofSeconds(10));
        }
    }

    /** A node's 5xx answer, a failure for retries and the breaker; unwrapped again when they give up. */
    static final class ServerError extends RuntimeException {
        final NodeAnswer answer;

        ServerError(NodeAnswer answer) {
            super("HTTP " + answer.status(), null, false, false);
            this.answer = answer;
        }
    }

    private final Settings settings;
    private final CircuitBreakerRegistry breakers;
    private final RetryRegistry retries;
    private final TimeLimiter idempotentLimiter;
    private final TimeLimiter otherLimiter;

    public NodeResilience(Settings settings) {
        this.settings = settings;
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(settings.breakerFailureRate())
                .waitDurationInOpenState(settings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(NodeResilience::isNoAnswer)
                .build());
        this.retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(settings.attempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(settings.firstBackoff(), 2.0))
                .retryOnException(NodeResilience::isNoAnswer)
                .failAfterMaxAttempts(false)
                .build());
        this.idempotentLimiter = TimeLimiter.of(TimeLimiterConfig.custom()
                .timeoutDuration(settings.idempotentTimeout())
                .build());
        this.otherLimiter = TimeLimiter.of(TimeLimiterConfig.custom()
                .timeoutDuration(settings.otherTimeout())
                .build());
    }

    /** Publishes the breakers' and retries' series ({@code resilience4j_circuitbreaker_*}, {@code resilience4j_retry_*}). */
    public NodeResilience bindMetrics(MeterRegistry registry) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
        return this;
    }

    /**
     * {@code attempt} (subscribed once per try) guarded for {@code nodeId}. Any answer of the node is returned,
     * a 5xx after the retries; no answer, a timeout or an open breaker is UNAVAILABLE naming the node.
     */
    public Mono<NodeAnswer> guard(long nodeId, HttpMethod method, String what, Mono<NodeAnswer> attempt) {
        boolean idempotent = method == HttpMethod.GET || method == HttpMethod.PUT || method == HttpMethod.DELETE;
        Mono<NodeAnswer> guarded = attempt.flatMap(
                        answer -> answer.status() >= 500 ? Mono.error(new ServerError(answer)) : Mono.just(answer))
                .transformDeferred(TimeLimiterOperator.of(idempotent ? idempotentLimiter : otherLimiter))
                .transformDeferred(CircuitBreakerOperator.of(breaker(nodeId)));
        if (idempotent) {
            guarded = guarded.transformDeferred(RetryOperator.of(retries.retry(name(nodeId))));
        }
        return guarded.onErrorResume(ServerError.class, e -> Mono.just(e.answer))
                .onErrorMap(
                        CallNotPermittedException.class,
                        e -> new XenonException(
                                ErrorCode.UNAVAILABLE,
                                "storage node " + nodeId + ": circuit breaker open after repeated failed calls, " + what
                                        + " not sent (calls resume within "
                                        + settings.breakerOpenFor().toSeconds()
                                        + " s, or when the node answers a heartbeat)"))
                .onErrorMap(
                        java.util.concurrent.TimeoutException.class,
                        e -> new XenonException(
                                ErrorCode.UNAVAILABLE,
                                "storage node " + nodeId + " did not answer " + what + " within "
                                        + (idempotent ? settings.idempotentTimeout() : settings.otherTimeout())
                                                .toSeconds()
                                        + " s",
                                e));
    }

    /** The node answered a heartbeat: calls to it may go through again at once. */
    public void nodeAnswered(long nodeId) {
        CircuitBreaker breaker = breaker(nodeId);
        if (breaker.getState() != CircuitBreaker.State.CLOSED) {
            breaker.transitionToClosedState();
        }
    }

    /** The breaker's state for {@code nodeId} (CLOSED, OPEN, HALF_OPEN...). */
    public CircuitBreaker.State state(long nodeId) {
        return breaker(nodeId).getState();
    }

    private CircuitBreaker breaker(long nodeId) {
        return breakers.circuitBreaker(name(nodeId));
    }

    private static String name(long nodeId) {
        return "storage-node-" + nodeId;
    }

    /** Failures that say nothing about the request: the node did not answer, or answered 5xx. */
    private static boolean isNoAnswer(Throwable t) {
        return t instanceof ServerError
                || t instanceof java.util.concurrent.TimeoutException
                || (t instanceof XenonException x && x.code() == ErrorCode.UNAVAILABLE);
    }
}
