package io.xenondb.controller;

import io.xenondb.controller.config.ControllerDefaults;
import io.xenondb.controller.config.ControllerFlags;
import io.xenondb.controller.config.ListenMapping;
import io.xenondb.service.StartupFailures;
import io.xenondb.shared.error.XenonException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The storage controller process (Neon's {@code storage_controller}):
 * {@code java -jar controller-app-exec.jar --listen 127.0.0.1:1234 --dev}.
 */
@SpringBootApplication
public class ControllerApplication {
    public static void main(String[] args) {
        if (ControllerFlags.FLAGS.wantsHelp(args)) {
            System.out.print(ControllerFlags.FLAGS.usage());
            return;
        }
        String[] springArgs;
        try {
            springArgs = ControllerFlags.FLAGS.normalize(args);
        } catch (XenonException e) {
            System.err.println("storage-controller: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(springArgs);
        } catch (RuntimeException e) {
            System.err.println("storage-controller: failed to start: " + StartupFailures.describe(e));
            System.exit(1);
        }
    }

    /** Starts a controller with its flags; the caller closes the returned context to stop it. */
    public static ConfigurableApplicationContext start(String... args) {
        return run(ControllerFlags.FLAGS.normalize(args));
    }

    private static ConfigurableApplicationContext run(String[] springArgs) {
        SpringApplication application = new SpringApplication(ControllerApplication.class);
        application.setDefaultProperties(ControllerDefaults.properties());
        application.addListeners(new ListenMapping());
        return application.run(springArgs);
    }
}
