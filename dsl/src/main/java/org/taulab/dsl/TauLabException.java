package org.taulab.dsl;

/**
 * An error the user can cause (bad file, wrong shape, unknown task, bad DSL syntax). Its message is
 * one line that names the culprit; front ends print the message alone, without a stack trace.
 */
public class TauLabException extends RuntimeException {
    public TauLabException(String message) {
        super(message);
    }

    public TauLabException(String message, Throwable cause) {
        super(message, cause);
    }
}
