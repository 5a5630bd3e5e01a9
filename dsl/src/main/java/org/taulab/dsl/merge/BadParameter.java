package org.taulab.dsl.merge;

import org.taulab.dsl.TauLabException;

/**
 * A parameter value a merge cannot take. The message names the method, the parameter and the value; front doors
 * that spell parameters differently (the command line's {@code --topk}) rephrase it from the fields.
 */
public final class BadParameter extends TauLabException {
    private final transient ParamSpec parameter;
    private final transient Object value;
    private final String reason;

    public BadParameter(String method, ParamSpec parameter, Object value, String reason) {
        super(method + ": parameter " + parameter.name() + " " + reason + (value == null ? "" : ", got '" + value + "'"));
        this.parameter = parameter;
        this.value = value;
        this.reason = reason;
    }

    public ParamSpec parameter() {
        return parameter;
    }

    public Object value() {
        return value;
    }

    /** What is wrong, without the method and parameter: {@code must be in [0, 1]}. */
    public String reason() {
        return reason;
    }
}
