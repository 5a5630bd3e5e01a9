package org.taulab.repro;

import org.taulab.dsl.TauLabException;

/**
 * A step an experiment needs that TauLab does not have yet (for example a learned merge still being built).
 * Experiments catch it, show a note, and record the claims that depend on it as pending (not counted).
 */
public final class NotAvailableYet extends TauLabException {
    public NotAvailableYet(String what) {
        super(what + " is not available yet");
    }
}
