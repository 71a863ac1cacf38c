package io.xenondb.pgruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.PostgresRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class TxzUnpackerTest {
    @TempDir
    Path target;

    @Test
    void keepsLinksAndExecBitsAndOpensEverythingToOthers() throws IOException {
        byte[] txz = txz(archive -> {
            directory(archive, "bin/", 0700);
            file(archive, "bin/tool", 0700, "#!/bin/sh\n");
            file(archive, "share/data.txt", 0600, "data");
            file(archive, "share/loose.txt", 0666, "loose");
            file(archive, "lib/libx.so.1.2", 0644, "elf");
            symlink(archive, "lib/libx.so.1", "libx.so.1.2");
        });
        TxzUnpacker.unpack(new ByteArrayInputStream(txz), target, "test.txz");

        assertThat(mode("bin")).isEqualTo("rwxr-xr-x");
        assertThat(mode("bin/tool")).isEqualTo("rwxr-xr-x");
        assertThat(mode("share/data.txt")).isEqualTo("rw-r--r--");
        assertThat(mode("share/loose.txt")).isEqualTo("rw-r--r--");
        assertThat(target.resolve("share")).isDirectory();
        Path link = target.resolve("lib/libx.so.1");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("libx.so.1.2"));
        assertThat(link).hasContent("elf");
        assertThat(target.resolve("bin/tool")).hasContent("#!/bin/sh\n");
    }

    @Test
    void refusesEntriesOutsideTheTarget() throws IOException {
        Path inner = Files.createDirectory(target.resolve("inner"));
        byte[] escape = txz(archive -> file(archive, "../evil", 0644, "x"));
        assertThatThrownBy(() -> TxzUnpacker.unpack(new ByteArrayInputStream(escape), inner, "bad.txz"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("bad.txz: entry '../evil' points outside the target");
        assertThat(target.resolve("evil")).doesNotExist();

        byte[] linkOut = txz(archive -> symlink(archive, "lib/passwd", "../../etc/passwd"));
        assertThatThrownBy(() -> TxzUnpacker.unpack(new ByteArrayInputStream(linkOut), inner, "link.txz"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("outside the target");
        assertThat(inner.resolve("lib/passwd")).doesNotExist();
    }

    @Test
    void corruptInputIsATypedError() {
        byte[] junk = "not xz at all".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TxzUnpacker.unpack(new ByteArrayInputStream(junk), target, "junk.txz"))
                .isInstanceOf(PostgresRuntimeException.class)
                .hasMessageContaining("cannot unpack junk.txz");
    }

    private String mode(String path) throws IOException {
        return PosixFilePermissions.toString(
                Files.getPosixFilePermissions(target.resolve(path), LinkOption.NOFOLLOW_LINKS));
    }

    private interface Content {
        void write(TarArchiveOutputStream archive) throws IOException;
    }

    private static byte[] txz(Content content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream archive =
                new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options(1)))) {
            content.write(archive);
        }
        return bytes.toByteArray();
    }

    private static void directory(TarArchiveOutputStream archive, String name, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
        archive.putArchiveEntry(entry);
        archive.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream archive, String name, int mode, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode(0100000 | mode);
        entry.setSize(data.length);
        archive.putArchiveEntry(entry);
        archive.write(data);
        archive.closeArchiveEntry();
    }

    private static void symlink(TarArchiveOutputStream archive, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        entry.setLinkName(target);
        archive.putArchiveEntry(entry);
        archive.closeArchiveEntry();
    }
}
