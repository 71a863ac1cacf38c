package io.xenondb.pgruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OsUserTest {
    @Test
    void parsesAPasswdLine() {
        assertThat(OsUser.parsePasswdLine("xenon-pg:x:999:995::/home/xenon-pg:/usr/sbin/nologin\n"))
                .isEqualTo(new OsUser("xenon-pg", 999, 995));
    }

    @Test
    void refusesMalformedEntriesAndNames() {
        assertThatThrownBy(() -> OsUser.parsePasswdLine("xenon-pg:x"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("'xenon-pg:x'");
        assertThatThrownBy(() -> OsUser.parsePasswdLine("xenon-pg:x:abc:1::/:/bin/sh"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("numeric uid");
        for (String bad : new String[] {"", "Root", "-x", "a b", "a;rm", "x".repeat(33)}) {
            assertThatThrownBy(() -> OsUser.validateName(bad))
                    .as(bad)
                    .isInstanceOf(PostgresRuntimeException.class)
                    .hasMessageContaining("OS user name");
        }
    }

    @Test
    void wrapRunsThroughSetprivOnlyWithAUser() {
        List<String> command = List.of("/bin/postgres", "--version");
        assertThat(PostgresUser.wrap(Optional.empty(), command)).isEqualTo(command);
        List<String> wrapped = PostgresUser.wrap(Optional.of(new OsUser("xenon-pg", 999, 995)), command);
        assertThat(wrapped.get(0)).endsWith("/setpriv");
        assertThat(wrapped.subList(1, wrapped.size()))
                .containsExactly("--reuid=999", "--regid=995", "--clear-groups", "--", "/bin/postgres", "--version");
    }

    @Test
    void lookupOfAMissingUserIsEmptyAndOfRootIsUidZero() {
        assertThat(PostgresUser.lookup("xenon-no-such-user")).isEmpty();
        assertThat(PostgresUser.lookup("root")).contains(new OsUser("root", 0, 0));
    }
}
