package io.xenondb.storagenode.upcall;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.storagenode.tenant.TenantManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Loads the tenants through re-attach. It runs once every bean exists (remote sync included, so attachments can
 * come from object storage) and before the servers start listening, so nothing is served in an old generation.
 */
public final class ControlPlaneStart implements SmartInitializingSingleton, AutoCloseable {
    private final ReAttach reAttach;
    private final TenantManager tenants;
    private final Path tenantsDir;

    public ControlPlaneStart(ReAttach reAttach, TenantManager tenants, Path workdir) {
        this.reAttach = reAttach;
        this.tenants = tenants;
        this.tenantsDir = workdir.resolve("tenants");
    }

    @Override
    public void afterSingletonsInstantiated() {
        try {
            tenants.start(reAttach.untilAnswered(isEmpty(tenantsDir)));
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "loading the re-attached tenants failed: " + e, e);
        }
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        reAttach.close();
    }
}
