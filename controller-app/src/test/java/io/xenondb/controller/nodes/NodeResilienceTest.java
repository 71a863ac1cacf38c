package io.xenondb.controller.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;

@Tag("controller")
class NodeResilienceTest {
    private static NodeResilience resilience() {
        return new NodeResilience(new NodeResilience.Settings(
                Duration.ofMillis(300),
                Duration.ofMillis(300),
                3,
                Duration.ofMillis(5),
                4,
                4,
                50f,
                Duration.ofMinutes(1)));
    }

    /** An attempt that answers {@code statuses} in turn (0: no answer), counting subscriptions. */
    private static Mono<NodeAnswer> answers(AtomicInteger attempts, int... statuses) {
        return Mono.defer(() -> {
            int status = statuses[Math.min(attempts.getAndIncrement(), statuses.length - 1)];
            return status == 0
                    ? Mono.error(new XenonException(ErrorCode.UNAVAILABLE, "no answer"))
                    : Mono.just(new NodeAnswer(status, "{}"));
        });
    }

    @Test
    void idempotentCallsAreRetriedOnServerErrorsAndNoAnswer() {
        AtomicInteger attempts = new AtomicInteger();
        NodeAnswer answer = resilience()
                .guard(1, HttpMethod.PUT, "PUT /x", answers(attempts, 503, 0, 200))
                .block();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aClientErrorIsAnAnswerAndNeverRetried() {
        AtomicInteger attempts = new AtomicInteger();
        NodeAnswer answer = resilience()
                .guard(1, HttpMethod.GET, "GET /x", answers(attempts, 404, 200))
                .block();
        assertThat(answer.status()).isEqualTo(404);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aPostIsNotRetriedAndTheLastServerErrorIsReturned() {
        AtomicInteger attempts = new AtomicInteger();
        NodeAnswer answer = resilience()
                .guard(1, HttpMethod.POST, "POST /x", answers(attempts, 500, 200))
                .block();
        assertThat(answer.status()).isEqualTo(500);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aSlowNodeTimesOut() {
        assertThatThrownBy(() -> resilience()
                        .guard(7, HttpMethod.POST, "POST /slow", Mono.never())
                        .block())
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("storage node 7 did not answer POST /slow");
    }

    @Test
    void theBreakerOpensPerNodeAndClosesWhenTheNodeAnswersAHeartbeat() {
        NodeResilience resilience = resilience();
        AtomicInteger attempts = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            resilience
                    .guard(2, HttpMethod.POST, "POST /x", answers(attempts, 0))
                    .onErrorResume(e -> Mono.empty())
                    .block();
        }
        assertThat(resilience.state(2)).isEqualTo(CircuitBreaker.State.OPEN);
        int before = attempts.get();
        assertThatThrownBy(() -> resilience
                        .guard(2, HttpMethod.GET, "GET /y", answers(attempts, 200))
                        .block())
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("storage node 2: circuit breaker open")
                .satisfies(e -> assertThat(((XenonException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(attempts).hasValue(before); // not called
        // Another node is unaffected.
        assertThat(resilience
                        .guard(3, HttpMethod.GET, "GET /y", answers(new AtomicInteger(), 200))
                        .block()
                        .status())
                .isEqualTo(200);

        resilience.nodeAnswered(2);
        assertThat(resilience.state(2)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(resilience
                        .guard(2, HttpMethod.GET, "GET /y", answers(new AtomicInteger(), 200))
                        .block()
                        .status())
                .isEqualTo(200);
    }
}
