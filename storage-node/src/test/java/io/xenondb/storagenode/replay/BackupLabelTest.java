package io.xenondb.storagenode.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("storage-node")
class BackupLabelTest {
    @Test
    void startWalLocationComesFromTheBackupLabel() {
        String label =
                "START WAL LOCATION: 0/3000028 (file 000000010000000000000003)\nCHECKPOINT LOCATION: 0/3000080\n";
        assertThat(ReplayWorker.startWalLocation(label)).isEqualTo(Lsn.parse("0/3000028"));
        assertThatThrownBy(() -> ReplayWorker.startWalLocation("LABEL: x"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("START WAL LOCATION");
    }
}
