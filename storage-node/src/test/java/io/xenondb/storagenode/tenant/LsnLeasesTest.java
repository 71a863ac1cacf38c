package io.xenondb.storagenode.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LsnLeasesTest {
    private static final TimelineId A = TimelineId.parse("11111111111111111111111111111111");
    private static final TimelineId B = TimelineId.parse("22222222222222222222222222222222");
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void theOldestUnexpiredLeaseHoldsGcBack() {
        LsnLeases leases = new LsnLeases();
        leases.lease(A, Lsn.parse("0/3000000"), T0.plusSeconds(60));
        leases.lease(A, Lsn.parse("0/2000000"), T0.plusSeconds(10));
        leases.lease(B, Lsn.parse("0/1000000"), T0.plusSeconds(100));
        assertThat(leases.oldestActive(A, T0)).contains(Lsn.parse("0/2000000"));
        assertThat(leases.oldestActive(A, T0.plusSeconds(10))).contains(Lsn.parse("0/3000000"));
        assertThat(leases.oldestActive(A, T0.plusSeconds(60))).isEmpty();
        assertThat(leases.oldestActive(B, T0.plusSeconds(60))).contains(Lsn.parse("0/1000000"));
        leases.forget(B);
        assertThat(leases.oldestActive(B, T0)).isEmpty();
    }

    @Test
    void renewingKeepsTheLaterExpiry() {
        LsnLeases leases = new LsnLeases();
        Lsn lsn = Lsn.parse("0/3000000");
        assertThat(leases.lease(A, lsn, T0.plusSeconds(60))).isEqualTo(T0.plusSeconds(60));
        assertThat(leases.lease(A, lsn, T0.plusSeconds(30))).isEqualTo(T0.plusSeconds(60));
        assertThat(leases.lease(A, lsn, T0.plusSeconds(90))).isEqualTo(T0.plusSeconds(90));
        assertThat(leases.active(A, T0.plusSeconds(61))).containsEntry(lsn, T0.plusSeconds(90));
    }
}
