package io.xenondb.storagenode;

import io.xenondb.service.StartupFailures;
import io.xenondb.service.spring.ListenAddressMapping;
import io.xenondb.service.spring.ServiceDefaults;
import io.xenondb.shared.error.XenonException;
import io.xenondb.storagenode.config.StorageNodeFlags;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The storage node process (Neon's pageserver):
 * {@code java -jar storage-node-exec.jar --id 1 -D /data/storage1 --listen-http 127.0.0.1:9898 --listen-grpc
 * 127.0.0.1:51051 --broker-endpoint http://127.0.0.1:50051}.
 */
@SpringBootApplication
public class StorageNodeApplication {
    public static void main(String[] args) {
        if (StorageNodeFlags.FLAGS.wantsHelp(args)) {
            System.out.print(StorageNodeFlags.FLAGS.usage());
            return;
        }
        String[] springArgs;
        try {
            springArgs = StorageNodeFlags.FLAGS.normalize(args);
        } catch (XenonException e) {
            System.err.println("storage-node: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(springArgs);
        } catch (RuntimeException e) {
            System.err.println("storage-node: failed to start: " + StartupFailures.describe(e));
            System.exit(1);
        }
    }

    /** Starts a storage node with its flags; the caller closes the returned context to stop it. */
    public static ConfigurableApplicationContext start(String... args) {
        return run(StorageNodeFlags.FLAGS.normalize(args));
    }

    private static ConfigurableApplicationContext run(String[] springArgs) {
        SpringApplication application = new SpringApplication(StorageNodeApplication.class);
        application.setDefaultProperties(ServiceDefaults.node("storage-node"));
        application.addListeners(
                new ListenAddressMapping("listen-grpc", "127.0.0.1:51051", "listen-http", "127.0.0.1:9898"));
        return application.run(springArgs);
    }
}
