package org.pacs.storage.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.module.SimpleSerializers;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.StorageException;

/**
 * The {@code --json} output, written by Jackson: maps (keys in insertion order), collections, strings, numbers,
 * booleans and null as themselves; a {@link Duration} as its milliseconds; an {@link Optional} as its content or
 * null; a non-finite number as null; any other value (Instant, enum, UID, path) as its string form, so a command
 * never leaks an object's internals into its output by accident. Two-space indentation, {@code "key": value}.
 */
public final class Json {

    private static final ObjectWriter WRITER = JsonMapper.builder()
            .addModule(module())
            .build()
            .writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("").withArrayEmptySeparator(""))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {
    }

    /** An ordered map from alternating keys and values, so JSON fields print in the order given. */
    public static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            m.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        return m;
    }

    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Only reachable through a bug: every value type has a serializer above.
            throw StorageException.internal("Cannot write the --json output: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A generator for output too long to build in memory first ({@code store}'s instances), with the same
     * indentation as {@link #write}.
     * The caller closes it (which does not close {@code out}).
     */
    public static JsonGenerator generator(java.io.Writer out) throws IOException {
        return WRITER.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                // a run that fails halfway must not print a document that looks complete
                .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
    }

    private static SimpleModule module() {
        SimpleModule m = new SimpleModule("pacs-storage-cli-json");
        m.setSerializers(new ValueSerializers());
        return m;
    }

    /** Chooses the serializer for every type that is not a map, collection or array. */
    private static final class ValueSerializers extends SimpleSerializers {

        @Override
        public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription bean) {
            Class<?> c = type.getRawClass();
            if (c == Double.class || c == Float.class || c == double.class || c == float.class) {
                return FINITE_OR_NULL;
            }
            if (Duration.class.isAssignableFrom(c)) {
                return MILLIS;
            }
            if (Optional.class.isAssignableFrom(c)) {
                return OPTIONAL;
            }
            if (type.isContainerType() || Map.class.isAssignableFrom(c) || java.util.Collection.class.isAssignableFrom(c)
                    || c.isPrimitive() || Number.class.isAssignableFrom(c) || c == Boolean.class
                    || CharSequence.class.isAssignableFrom(c) || JsonNode.class.isAssignableFrom(c)) {
                return null;
            }
            return ToStringSerializer.instance;
        }
    }

    private static final JsonSerializer<Number> FINITE_OR_NULL = new StdSerializer<>(Number.class) {
        @Override
        public void serialize(Number n, JsonGenerator g, SerializerProvider p) throws IOException {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeNull();
            }
        }
    };

    private static final JsonSerializer<Duration> MILLIS = new StdSerializer<>(Duration.class) {
        @Override
        public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeNumber(d.toMillis());
        }
    };

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final JsonSerializer<Optional> OPTIONAL = new StdSerializer<>(Optional.class) {
        @Override
        public void serialize(Optional o, JsonGenerator g, SerializerProvider p) throws IOException {
            if (o.isPresent()) {
                p.defaultSerializeValue(o.get(), g);
            } else {
                g.writeNull();
            }
        }
    };
}
