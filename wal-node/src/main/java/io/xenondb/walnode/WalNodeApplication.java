package io.xenondb.walnode;

import io.xenondb.service.StartupFailures;
import io.xenondb.service.spring.ListenAddressMapping;
import io.xenondb.service.spring.ServiceDefaults;
import io.xenondb.shared.error.XenonException;
import io.xenondb.walnode.config.WalNodeFlags;
import io.xenondb.walnode.config.WalNodeProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The WAL node process (Neon's safekeeper):
 * {@code java -jar wal-node-exec.jar --id 1 -D /data/wal1 --listen-grpc 127.0.0.1:5454 --listen-http 127.0.0.1:7676}.
 */
@SpringBootApplication
public class WalNodeApplication {
    public static void main(String[] args) {
        if (WalNodeFlags.FLAGS.wantsHelp(args)) {
            System.out.print(WalNodeFlags.FLAGS.usage());
            return;
        }
        String[] springArgs;
        try {
            springArgs = WalNodeFlags.FLAGS.normalize(args);
        } catch (XenonException e) {
            System.err.println("wal-node: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(springArgs);
        } catch (RuntimeException e) {
            // Spring logged a stack trace if the failure was unexpected; this line says what went wrong.
            System.err.println("wal-node: failed to start: " + StartupFailures.describe(e));
            System.exit(1);
        }
    }

    /** Starts a WAL node with Neon-style flags; the caller closes the returned context to stop it. */
    public static ConfigurableApplicationContext start(String... args) {
        return run(WalNodeFlags.FLAGS.normalize(args));
    }

    private static ConfigurableApplicationContext run(String[] springArgs) {
        SpringApplication application = new SpringApplication(WalNodeApplication.class);
        application.setDefaultProperties(ServiceDefaults.node("wal-node"));
        application.addListeners(new ListenAddressMapping(
                "listen-grpc",
                WalNodeProperties.DEFAULT_LISTEN_GRPC,
                "listen-http",
                WalNodeProperties.DEFAULT_LISTEN_HTTP));
        return application.run(springArgs);
    }
}
