package io.xenondb.shared.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Exceptions;

class GrpcErrorsTest {
    @Test
    void everyCategoryHasItsOwnStatus() {
        assertThat(GrpcErrors.code(ErrorCategory.USER_INPUT)).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(GrpcErrors.code(ErrorCategory.NOT_FOUND)).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(GrpcErrors.code(ErrorCategory.CONFLICT)).isEqualTo(Status.Code.ABORTED);
        assertThat(GrpcErrors.code(ErrorCategory.NOT_ACCEPTABLE)).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(GrpcErrors.code(ErrorCategory.UNAVAILABLE)).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(GrpcErrors.code(ErrorCategory.CORRUPTION)).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(GrpcErrors.code(ErrorCategory.INTERNAL)).isEqualTo(Status.Code.INTERNAL);
        Set<Status.Code> codes = EnumSet.allOf(ErrorCategory.class).stream()
                .map(GrpcErrors::code)
                .collect(Collectors.toSet());
        assertThat(codes).hasSize(ErrorCategory.values().length);
    }

    @Test
    void xenonExceptionKeepsItsMessageAndCode() {
        XenonException error = new XenonException(ErrorCode.INVALID_LSN, "lsn: 0/ZZ (expected: X/X hex)");

        StatusRuntimeException status = GrpcErrors.toStatus(error);

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getStatus().getDescription()).isEqualTo("lsn: 0/ZZ (expected: X/X hex)");
        assertThat(status.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("INVALID_LSN");
    }

    @Test
    void wrappedXenonExceptionIsFound() {
        XenonException error = new XenonException(ErrorCode.NOT_FOUND, "timeline 1/2 not found");

        assertThat(GrpcErrors.toStatus(new CompletionException(error))
                        .getStatus()
                        .getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(GrpcErrors.toStatus(new ExecutionException(error))
                        .getStatus()
                        .getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(GrpcErrors.toStatus(Exceptions.propagate(new java.io.IOException("disk", error)))
                        .getStatus()
                        .getCode())
                .as("an ordinary cause is not a Xenon error of its own")
                .isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void unknownFailureBecomesGenericInternal() {
        StatusRuntimeException status =
                GrpcErrors.toStatus(new IllegalStateException("secret path /var/lib/xenon/tenants/x"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getStatus().getDescription()).isEqualTo("internal error");
        assertThat(status.getMessage()).doesNotContain("secret");
        assertThat(status.getStatus().getCause()).isNull();
    }

    @Test
    void statusExceptionsPassThrough() {
        StatusRuntimeException original =
                Status.PERMISSION_DENIED.withDescription("no").asRuntimeException();
        assertThat(GrpcErrors.toStatus(original)).isSameAs(original);
        assertThat(GrpcErrors.toStatus(Status.ABORTED.withDescription("x").asException())
                        .getStatus()
                        .getCode())
                .isEqualTo(Status.Code.ABORTED);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void clientRebuildsTheTypedError(ErrorCode code) {
        XenonException sent = new XenonException(code, "what: x (expected: y)");

        XenonException received = GrpcErrors.toXenonException(GrpcErrors.toStatus(sent));

        assertThat(received.code()).isEqualTo(code);
        assertThat(received.getMessage()).isEqualTo("what: x (expected: y)");
    }

    @Test
    void clientMapsPlainStatusesByCode() {
        assertThat(GrpcErrors.toXenonException(Status.UNAVAILABLE.asRuntimeException())
                        .code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(GrpcErrors.toXenonException(
                        Status.INVALID_ARGUMENT.withDescription("bad").asRuntimeException()))
                .hasMessage("bad")
                .extracting(XenonException::code)
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        Metadata trailers = new Metadata();
        trailers.put(GrpcErrors.ERROR_CODE, "NO_SUCH_CODE");
        assertThat(GrpcErrors.toXenonException(Status.NOT_FOUND.asRuntimeException(trailers))
                        .code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(GrpcErrors.toXenonException(new IllegalStateException("boom"))
                        .code())
                .isEqualTo(ErrorCode.INTERNAL);
    }
}
