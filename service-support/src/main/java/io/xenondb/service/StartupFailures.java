package io.xenondb.service;

import io.xenondb.shared.error.XenonException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a failed start into one line for the operator: the flag and value that were refused, or the Xenon error
 * (a port in use, a data directory of another node), or else the innermost message. Also a failure analyzer, so that
 * Spring reports Xenon errors without a stack trace.
 */
public final class StartupFailures extends AbstractFailureAnalyzer<XenonException> {
    /** One line describing why the start failed. */
    public static String describe(Throwable failure) {
        String reason = innermostMessage(failure);
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException bind && bind.getProperty() != null) {
                ConfigurationProperty property = bind.getProperty();
                return "invalid --" + property.getName() + " '" + property.getValue() + "': " + reason;
            }
        }
        return reason;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, XenonException cause) {
        return new FailureAnalysis(cause.getMessage(), "Check the command line; see --help.", cause);
    }

    /** The message of the innermost Xenon error, else of the innermost exception. */
    private static String innermostMessage(Throwable failure) {
        String xenon = null;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof XenonException) {
                xenon = t.getMessage();
            }
            root = t;
        }
        if (xenon != null) {
            return xenon;
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
