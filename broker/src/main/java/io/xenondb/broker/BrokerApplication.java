package io.xenondb.broker;

import io.xenondb.broker.config.BrokerFlags;
import io.xenondb.service.StartupFailures;
import io.xenondb.shared.error.XenonException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The storage broker process: {@code java -jar broker-exec.jar --listen-addr 127.0.0.1:50051}. */
@SpringBootApplication
public class BrokerApplication {
    public static void main(String[] args) {
        if (BrokerFlags.FLAGS.wantsHelp(args)) {
            System.out.print(BrokerFlags.FLAGS.usage());
            return;
        }
        try {
            start(args);
        } catch (XenonException e) {
            System.err.println("broker: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            // Spring logged a stack trace if the failure was unexpected; this line says what went wrong.
            System.err.println("broker: failed to start: " + StartupFailures.describe(e));
            System.exit(1);
        }
    }

    /** Starts the broker with Neon-style flags; the caller closes the returned context to stop it. */
    public static ConfigurableApplicationContext start(String... args) {
        String[] springArgs = BrokerFlags.FLAGS.normalize(args);
        SpringApplication application = new SpringApplication(BrokerApplication.class);
        // The broker serves gRPC and HTTP itself: no Spring server may start from what the classpath carries.
        application.setDefaultProperties(io.xenondb.service.spring.ServiceDefaults.ownServers("broker"));
        return application.run(springArgs);
    }
}
