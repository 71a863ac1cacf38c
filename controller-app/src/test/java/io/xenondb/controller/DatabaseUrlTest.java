package io.xenondb.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.controller.db.DatabaseUrl;
import io.xenondb.shared.error.XenonException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("controller")
class DatabaseUrlTest {
    @Test
    void parsesTheSeedsUrlAndDefaults() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://postgres@localhost:5432/storage_controller");
        assertThat(url).isEqualTo(new DatabaseUrl("localhost", 5432, "postgres", "", "storage_controller"));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/storage_controller");
        DatabaseUrl bare = DatabaseUrl.parse("postgres://db.internal/sc");
        assertThat(bare.port()).isEqualTo(5432);
        assertThat(bare.user()).isEqualTo("postgres");
    }

    @Test
    void keepsThePasswordOutOfItsText() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://admin:s%40cret@h:6000/db");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url.toString()).isEqualTo("postgresql://admin@h:6000/db").doesNotContain("cret");
    }

    @Test
    void refusesWhatIsNotAPostgresUrl() {
        for (String bad : new String[] {"", "mysql://h/db", "postgresql://h:5432/", "postgresql:///db", "::"}) {
            assertThatThrownBy(() -> DatabaseUrl.parse(bad))
                    .as(bad)
                    .isInstanceOf(XenonException.class)
                    .hasMessageStartingWith("database-url");
        }
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2@h:1:2/db"))
                .hasMessageNotContaining("hunter2");
    }
}
