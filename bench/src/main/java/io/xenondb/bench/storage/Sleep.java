package io.xenondb.bench.storage;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/** Thread.sleep that turns an interrupt into an UNAVAILABLE error (the benchmark is being stopped). */
final class Sleep {
    private Sleep() {}

    static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }
}
