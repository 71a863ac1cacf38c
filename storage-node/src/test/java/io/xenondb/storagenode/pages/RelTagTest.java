package io.xenondb.storagenode.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RelTagTest {
    @Test
    void pathsAreThoseOfPostgresRelationSegments() {
        assertThat(new RelTag(1663, 5, 16384, 0).segmentPath(0)).isEqualTo("base/5/16384");
        assertThat(new RelTag(1663, 5, 16384, 1).segmentPath(0)).isEqualTo("base/5/16384_fsm");
        assertThat(new RelTag(1663, 5, 16384, 2).segmentPath(3)).isEqualTo("base/5/16384_vm.3");
        assertThat(new RelTag(1664, 0, 1262, 0).segmentPath(1)).isEqualTo("global/1262.1");
        assertThat(new RelTag(1663, 4294967295L, 4294967295L, 3).segmentPath(0))
                .isEqualTo("base/4294967295/4294967295_init");
    }

    @Test
    void parseIsTheInverseOfToString() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            boolean global = random.nextBoolean();
            RelTag rel = new RelTag(
                    global ? 1664 : 1663,
                    global ? 0 : 1 + (random.nextLong() & 0xFFFF_FFFEL),
                    1 + (random.nextLong() & 0xFFFF_FFFEL),
                    random.nextInt(4));
            assertThat(RelTag.parse(rel.toString())).isEqualTo(rel);
        }
        assertThat(RelTag.parse("1663/5/16384_vm")).isEqualTo(new RelTag(1663, 5, 16384, 2));
    }

    @Test
    void badTagsAreRefusedNamingTheField() {
        assertInvalid(() -> new RelTag(1663, 5, 16384, 4), "fork_number: 4");
        assertInvalid(() -> new RelTag(1663, 5, 16384, -1), "fork_number: -1");
        assertInvalid(() -> new RelTag(1700, 5, 16384, 0), "spc_oid: 1700");
        assertInvalid(() -> new RelTag(1664, 5, 1262, 0), "db_oid: 5");
        assertInvalid(() -> new RelTag(1663, 0, 1262, 0), "db_oid: 0");
        assertInvalid(() -> new RelTag(1663, 5, 0, 0), "rel_number: 0");
        assertInvalid(() -> new RelTag(1663, 5, 1L << 32, 0), "rel_number: 4294967296");
        assertInvalid(() -> RelTag.parse("1663/5/16384_xyz"), "expected: spc/db/rel");
        assertInvalid(() -> RelTag.parse(null), "rel: 'null'");
        assertInvalid(() -> RelTag.parse("1663/5/99999999999"), "at most 4294967295");
    }

    @Test
    void slruKindsNameTheirSegmentFiles() {
        assertThat(SlruKind.of(0).segmentPath(0)).isEqualTo("pg_xact/0000");
        assertThat(SlruKind.of(1).segmentPath(0x1A)).isEqualTo("pg_multixact/members/001A");
        assertThat(SlruKind.of(2).segmentPath(0x12345)).isEqualTo("pg_multixact/offsets/12345");
        assertInvalid(() -> SlruKind.of(3), "kind: 3");
        assertInvalid(() -> SlruKind.of(-1), "kind: 4294967295");
    }

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }
}
