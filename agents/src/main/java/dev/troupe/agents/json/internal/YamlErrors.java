package dev.troupe.agents.json.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.troupe.agents.error.ConfigurationException;
import java.util.Collection;
import java.util.stream.Collectors;

/** Turns Jackson's parse and mapping errors on a user's file into file:line:column messages with a hint. */
public final class YamlErrors {
    private YamlErrors() {}

    public static ConfigurationException of(String file, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = file + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr());
        String path = e instanceof JsonMappingException jm ? pathOf(jm) : "";
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            String nearest = Strings.nearest(u.getPropertyName(),
                    known.stream().map(String::valueOf).collect(Collectors.toList()));
            what = "unknown key '" + u.getPropertyName() + "'"
                    + (nearest == null ? "" : " (did you mean '" + nearest + "'?)")
                    + "; valid keys here: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
        } else if (e instanceof InvalidFormatException f) {
            what = "'" + f.getValue() + "' is not a valid " + simpleType(f.getTargetType());
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            what = "expected " + simpleType(m.getTargetType()) + " here (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")";
        } else {
            what = e.getOriginalMessage().lines().findFirst().orElse(e.getOriginalMessage());
        }
        return new ConfigurationException(where + ": " + what + (path.isEmpty() ? "" : " (at " + path + ")"), e);
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String simpleType(Class<?> c) {
        if (c == null) {
            return "value";
        }
        if (c.isEnum()) {
            Object[] values = c.getEnumConstants();
            return "value (one of " + java.util.Arrays.stream(values).map(v -> v.toString().toLowerCase()).collect(Collectors.joining(", ")) + ")";
        }
        if (Collection.class.isAssignableFrom(c)) {
            return "list";
        }
        if (c == String.class) {
            return "text";
        }
        if (Number.class.isAssignableFrom(c) || c.isPrimitive()) {
            return "number (" + c.getSimpleName() + ")";
        }
        return c.getSimpleName();
    }
}
