package org.taulab.dsl.merge.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A parameter's value in a merge config, as mergekit writes them: one value; a list of numbers interpolated
 * linearly across the layers (a gradient: the first number at the first layer, the last at the last); or a list of
 * {@code {filter: REGEX, value: …}} entries, the first whose regex finds the tensor's name deciding, an entry without
 * a filter matching every tensor.
 */
sealed interface ParamValue {
    /** The value for one tensor. */
    Object at(TensorPlace place);

    record Constant(Object value) implements ParamValue {
        @Override
        public Object at(TensorPlace place) {
            return value;
        }
    }

    record Gradient(List<Double> values) implements ParamValue {
        @Override
        public Object at(TensorPlace place) {
            if (values.size() == 1) {
                return values.get(0);
            }
            double x = place.depth() * (values.size() - 1);
            int i = Math.min((int) Math.floor(x), values.size() - 2);
            double f = x - i;
            return values.get(i) * (1 - f) + values.get(i + 1) * f;
        }
    }

    record Filtered(List<Rule> rules, String field, int line) implements ParamValue {
        @Override
        public Object at(TensorPlace place) {
            for (Rule r : rules) {
                if (r.filter() == null || r.filter().matcher(place.name()).find()) {
                    return r.value().at(place);
                }
            }
            return null;
        }
    }

    record Rule(Pattern filter, ParamValue value) {
    }
}
