package io.xenondb.pgruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dataDir;

    @Test
    void quotesQuotesBackslashesAndLineBreaks() {
        assertThat(ConfigFile.quote("a", "plain")).isEqualTo("'plain'");
        assertThat(ConfigFile.quote("a", "it's")).isEqualTo("'it''s'");
        assertThat(ConfigFile.quote("a", "C:\\dir")).isEqualTo("'C:\\\\dir'");
        assertThat(ConfigFile.quote("a", "two\nlines\tand\rcr")).isEqualTo("'two\\nlines\\tand\\rcr'");
        assertThat(ConfigFile.quote("a", "")).isEqualTo("''");
        assertThat(ConfigFile.quote("a", "host=x port=5432 options='-c a=b'"))
                .isEqualTo("'host=x port=5432 options=''-c a=b'''");
    }

    @Test
    void unquoteInvertsQuote() {
        for (String value : new String[] {"", "x", "it's", "a\\b", "\\'", "''", "line\nbreak\ttab\r", "ünïcødé 🐘"}) {
            String quoted = ConfigFile.quote("a", value);
            assertThat(ConfigFile.unquote(quoted.substring(1, quoted.length() - 1)))
                    .isEqualTo(value);
        }
    }

    @Test
    void refusesNulAndNullValues() {
        assertThatThrownBy(() -> ConfigFile.quote("cluster_name", "a\0b"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("cluster_name")
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> ConfigFile.quote("cluster_name", null))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("cluster_name: null");
    }

    @Test
    void validatesNames() {
        assertThat(ConfigFile.validateName("shared_buffers")).isEqualTo("shared_buffers");
        assertThat(ConfigFile.validateName("neon.pageserver_connstring")).isEqualTo("neon.pageserver_connstring");
        for (String bad : new String[] {"", "1abc", "a b", "a=b", "a.b.c", "a'b", "x\n"}) {
            assertThatThrownBy(() -> ConfigFile.validateName(bad))
                    .as(bad)
                    .isInstanceOf(PostgresRuntimeException.class)
                    .hasMessageContaining("setting name");
        }
        assertThatThrownBy(() -> ConfigFile.validateName("include_dir"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("include directives");
        assertThatThrownBy(() -> ConfigFile.validateName(null))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("null");
    }

    @Test
    void renderSortsByNameAndParseInvertsIt() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("work_mem", "4MB");
        settings.put("cluster_name", "it's \\ #not a comment");
        settings.put("a.b", "x\ny");
        String text = ConfigFile.render(settings);
        assertThat(text.lines().filter(l -> !l.startsWith("#")))
                .containsExactly("a.b = 'x\\ny'", "cluster_name = 'it''s \\\\ #not a comment'", "work_mem = '4MB'");
        assertThat(ConfigFile.parse(text)).isEqualTo(settings);
    }

    @Test
    void parseNamesTheBadLine() {
        assertThatThrownBy(() -> ConfigFile.parse("# header\nwork_mem = '4MB'\nbroken line\n"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("broken line");
    }

    @Test
    void writeMergesLastWinsRemovesNullsAndIncludesOnce() throws IOException {
        Files.writeString(dataDir.resolve("postgresql.conf"), "shared_buffers = 128MB");
        ConfigFile.write(dataDir, Map.of("work_mem", "4MB", "cluster_name", "one"));
        Map<String, String> second = new HashMap<>();
        second.put("work_mem", "8MB");
        second.put("cluster_name", null);
        second.put("max_connections", "20");
        ConfigFile.write(dataDir, second);

        assertThat(ConfigFile.parse(Files.readString(dataDir.resolve("xenon.conf"))))
                .containsExactly(Map.entry("max_connections", "20"), Map.entry("work_mem", "8MB"));
        String conf = Files.readString(dataDir.resolve("postgresql.conf"));
        assertThat(conf).startsWith("shared_buffers = 128MB\n");
        assertThat(conf.lines().filter(ConfigFile.INCLUDE_LINE::equals)).hasSize(1);
        assertThat(conf.strip()).endsWith(ConfigFile.INCLUDE_LINE);
        assertThat(dataDir.resolve("xenon.conf.tmp")).doesNotExist();
    }

    @Test
    void writeCreatesAMissingPostgresqlConf() throws IOException {
        ConfigFile.write(dataDir, Map.of("port", "5432"));
        assertThat(Files.readString(dataDir.resolve("postgresql.conf"))).contains(ConfigFile.INCLUDE_LINE);
    }

    @Test
    void badInputWritesNothing() {
        assertThatThrownBy(() -> ConfigFile.write(dataDir, Map.of("work_mem", "4MB", "bad name", "x")))
                .isInstanceOf(PostgresRuntimeException.class);
        assertThatThrownBy(() -> ConfigFile.write(dataDir, Map.of("cluster_name", "a\0")))
                .isInstanceOf(PostgresRuntimeException.class);
        assertThat(dataDir.resolve("xenon.conf")).doesNotExist();
    }
}
