package io.xenondb.pgruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InitdbOptionsTest {
    @Test
    void defaults() {
        assertThat(InitdbOptions.defaults()).isEqualTo(new InitdbOptions("postgres", "UTF8", "C", false));
    }

    @Test
    void withersChangeOneField() {
        InitdbOptions options = InitdbOptions.defaults()
                .withSuperuser("cloud_admin")
                .withEncoding("SQL_ASCII")
                .withLocale("en_US.UTF-8")
                .withDataChecksums(true);
        assertThat(options).isEqualTo(new InitdbOptions("cloud_admin", "SQL_ASCII", "en_US.UTF-8", true));
    }

    @Test
    void refusesBadValuesNamingThem() {
        InitdbOptions d = InitdbOptions.defaults();
        assertThatThrownBy(() -> d.withSuperuser(" "))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("superuser: ' '");
        assertThatThrownBy(() -> d.withSuperuser("x".repeat(64)))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("1 to 63 bytes");
        assertThatThrownBy(() -> d.withSuperuser(null))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("superuser: null");
        assertThatThrownBy(() -> d.withEncoding("UTF8; rm -rf"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("encoding: 'UTF8; rm -rf'");
        assertThatThrownBy(() -> d.withLocale(""))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("locale: ''");
    }
}
