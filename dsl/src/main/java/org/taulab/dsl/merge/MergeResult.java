package org.taulab.dsl.merge;

import java.util.Map;
import org.taulab.dsl.tensor.Weights;

/** A merged model together with the method and every parameter value that produced it. */
public record MergeResult(String method, Map<String, Object> parameters, Weights weights) {
    @Override
    public String toString() {
        return method + " " + parameters;
    }
}
