package org.pacs.storage.cli.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.pacs.storage.cli.UsageException;

/**
 * Turns Jackson's binding errors into the command's one-line configuration errors: the key comes from the
 * exception's path, the line from the {@link YamlTree}, the accepted values from the record being bound (its
 * components) or from the refusing code ({@link Units}, a record's {@link InvalidSetting}).
 */
final class ConfigErrors {

    private static final PropertyNamingStrategies.NamingBase KEBAB =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.KEBAB_CASE;

    private ConfigErrors() {
    }

    static UsageException translate(JsonMappingException error, YamlTree file, JsonNode bound) {
        String key = key(error);
        Throwable cause = error.getCause();
        if (cause instanceof InvalidSetting s && error instanceof com.fasterxml.jackson.databind.exc
                .ValueInstantiationException) {
            key = key.isEmpty() ? s.key() : key + "." + s.key();
        }
        String where = file.where(key);
        if (error instanceof UnrecognizedPropertyException u) {
            String parent = YamlTree.parent(key);
            return usage(where + ": unknown key; accepted" + (parent.isEmpty() ? "" : " in " + parent) + ": "
                    + accepted(u.getReferringClass(), u.getKnownPropertyIds()) + ".", error);
        }
        if (cause instanceof org.pacs.storage.StorageException se) {
            return usage(where + ": " + se.getMessage(), error); // a network face's own settings check
        }
        if (cause instanceof IllegalArgumentException) {
            return usage(where + (cause.getMessage().startsWith("has no value") ? " " : ": ") + cause.getMessage()
                    + ".", error);
        }
        JsonNode node = bound.at(pointer(key));
        Class<?> target = error instanceof MismatchedInputException m && m.getTargetType() != null
                ? m.getTargetType() : Object.class;
        boolean wantsMapping = target.isRecord() || Map.class.isAssignableFrom(target);
        if (node.isContainerNode() && !wantsMapping) {
            return usage(where + " must be a single value, not a " + (node.isObject() ? "mapping" : "list") + ".",
                    error);
        }
        if (wantsMapping && !node.isObject()) {
            return usage(where + " must be a mapping of key: value"
                    + (target.isRecord() ? " with keys " + keysOf(target) : "") + ".", error);
        }
        String text = node.asText();
        if (target == boolean.class || target == Boolean.class) {
            return usage(where + ": '" + text + "' is not a boolean; use true or false.", error);
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return usage(where + ": '" + text + "' is not a whole number; use a whole number >= 0.", error);
        }
        return usage(where + ": " + error.getOriginalMessage().strip().replaceAll("\\s+", " "), error);
    }

    /** The record's configuration keys in declaration order, else what Jackson knew of. */
    private static String accepted(Class<?> referring, Collection<Object> known) {
        if (referring != null && referring.isRecord()) {
            return keysOf(referring);
        }
        return known.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    static String keysOf(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).map(KEBAB::translate)
                .collect(Collectors.joining(", "));
    }

    private static String key(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String pointer(String key) {
        if (key.isEmpty()) {
            return "";
        }
        return "/" + key.replace("~", "~0").replace("/", "~1").replace("[", ".").replace("]", "")
                .replace('.', '/');
    }

    private static UsageException usage(String message, Throwable cause) {
        return new UsageException(message, cause);
    }
}
