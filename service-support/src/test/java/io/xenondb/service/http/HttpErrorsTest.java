package io.xenondb.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.shared.client.walnode.TimelineCreateRequest;
import io.xenondb.shared.error.ErrorCategory;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.Exceptions;
import tools.jackson.databind.json.JsonMapper;

/** Failures to HTTP answers: by category, through Jackson's and Reactor's wrappers, never leaking internals. */
class HttpErrorsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String VALID = "{\"tenant_id\":\"9ef87a5bf0d92544f6fafeeb3239695c\","
            + "\"timeline_id\":\"0123456789abcdef0123456789abcdef\",\"pg_version\":170005,\"start_lsn\":\"0/2000000\"}";

    @Test
    void everyCategoryHasItsStatus() {
        assertThat(HttpErrors.status(ErrorCategory.USER_INPUT)).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(HttpErrors.status(ErrorCategory.NOT_FOUND)).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(HttpErrors.status(ErrorCategory.CONFLICT)).isEqualTo(HttpStatus.CONFLICT);
        assertThat(HttpErrors.status(ErrorCategory.UNAVAILABLE)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(HttpErrors.status(ErrorCategory.CORRUPTION)).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(HttpErrors.status(ErrorCategory.INTERNAL)).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        for (ErrorCode code : ErrorCode.values()) {
            HttpErrors.Answer answer = HttpErrors.answer(new XenonException(code, "what (expected: that)"));
            assertThat(answer.status()).isEqualTo(HttpErrors.status(code.category()));
            assertThat(answer.msg()).isEqualTo("what (expected: that)");
        }
    }

    @Test
    void typedErrorsKeepTheirMessageThroughWrappers() {
        XenonException notFound = new XenonException(ErrorCode.NOT_FOUND, "timeline x is not here");
        assertThat(HttpErrors.answer(new CompletionException(notFound)))
                .isEqualTo(new HttpErrors.Answer(HttpStatus.NOT_FOUND, "timeline x is not here"));
        assertThat(HttpErrors.answer(Exceptions.propagate(notFound)).status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(HttpErrors.answer(new ServerWebInputException("bad", null, notFound))
                        .msg())
                .isEqualTo("timeline x is not here");
    }

    @Test
    void aBadValueInsideJsonNamesTheFieldAndKeepsTheTypedMessage() {
        HttpErrors.Answer badLsn = answerFor(VALID.replace("0/2000000", "0/ZZ"));
        assertThat(badLsn.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(badLsn.msg()).isEqualTo("start_lsn: lsn: 0/ZZ (expected: X/X hex, e.g. 0/16B5A50)");

        HttpErrors.Answer badId = answerFor(VALID.replace("9ef87a5bf0d92544f6fafeeb3239695c", "nothex"));
        assertThat(badId.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(badId.msg()).startsWith("tenant_id: nothex (expected: ");

        HttpErrors.Answer missing = answerFor(VALID.replace(",\"pg_version\":170005", ""));
        assertThat(missing.msg()).startsWith("pg_version: missing (expected: ");
    }

    @Test
    void unreadableJsonIsABadRequestSayingWhere() {
        HttpErrors.Answer truncated = answerFor("{\"tenant_id\": ");
        assertThat(truncated.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(truncated.msg()).startsWith("malformed JSON body: ");

        HttpErrors.Answer wrongType = answerFor(VALID.replace("170005", "[1]"));
        assertThat(wrongType.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(wrongType.msg())
                .startsWith("malformed JSON body at pg_version: ")
                .doesNotContain("\n");
    }

    @Test
    void springStatusesPassAndBugsDoNotLeak() {
        assertThat(HttpErrors.answer(new ResponseStatusException(HttpStatus.METHOD_NOT_ALLOWED, "no PUT here")))
                .isEqualTo(new HttpErrors.Answer(HttpStatus.METHOD_NOT_ALLOWED, "no PUT here"));
        HttpErrors.Answer bug = HttpErrors.answer(new NullPointerException("secret.internal.Field"));
        assertThat(bug.status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(bug.msg()).isEqualTo("internal error");
        assertThat(bug.isServerFault()).isTrue();
        assertThat(HttpErrors.answer(new XenonException(ErrorCode.INVALID_ID, "x"))
                        .isServerFault())
                .isFalse();
    }

    private static HttpErrors.Answer answerFor(String json) {
        try {
            JSON.readValue(json, TimelineCreateRequest.class);
        } catch (RuntimeException e) {
            return HttpErrors.answer(e);
        }
        throw new AssertionError("parsed: " + json);
    }
}
