package org.pacs.storage.cli.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * {@link Units} as Jackson sees it: every {@link Duration} in the configuration is read and written in the
 * duration grammar, and every component marked {@link ByteSize} in the size grammar. A value Units refuses becomes
 * a mapping error whose cause is Units' message, so {@link ConfigErrors} reports it with file, line and key.
 */
public final class UnitsModule extends SimpleModule {

    public UnitsModule() {
        super("pacs-storage-units");
        addDeserializer(Duration.class, new Reader<>(Duration.class, Units::parseDuration));
        addSerializer(Duration.class, new Writer<>(Duration.class, Units::formatDuration));
    }

    /** Reads a size ({@code 10GiB}) into a long. */
    public static final class SizeReader extends Reader<Long> {
        public SizeReader() {
            super(Long.class, Units::parseSize);
        }
    }

    /**
     * Writes a size back in its exact binary form ({@code 10GiB}), or as a plain number when it has none, so that
     * {@code config show} prints {@code 0} rather than the string {@code "0"}.
     */
    public static final class SizeWriter extends StdScalarSerializer<Long> {
        public SizeWriter() {
            super(Long.class);
        }

        @Override
        public void serialize(Long bytes, JsonGenerator g, SerializerProvider p) throws IOException {
            String text = Units.formatSize(bytes);
            if (text.equals(Long.toString(bytes))) {
                g.writeNumber(bytes);
            } else {
                g.writeString(text);
            }
        }
    }

    /** Reads a watermark ({@code 0.9} or {@code 90%}) into a double. */
    public static final class FractionReader extends Reader<Double> {
        public FractionReader() {
            super(Double.class, Units::parseFraction);
        }
    }

    /** Writes a watermark back as a percentage ({@code 90%}). */
    public static final class FractionWriter extends StdScalarSerializer<Double> {
        public FractionWriter() {
            super(Double.class);
        }

        @Override
        public void serialize(Double f, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(Units.formatFraction(f));
        }
    }

    static class Reader<T> extends StdScalarDeserializer<T> {
        private final transient Function<String, T> parse;

        Reader(Class<T> type, Function<String, T> parse) {
            super(type);
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                return ctxt.reportInputMismatch(this, "expected a single value");
            }
            String text = p.getText();
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(text, handledType(), e.getMessage()).withCause(e);
            }
        }
    }

    static final class Writer<T> extends StdScalarSerializer<T> {
        private final transient Function<T, String> format;

        Writer(Class<T> type, Function<T, String> format) {
            super(type);
            this.format = format;
        }

        @Override
        public void serialize(T value, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(format.apply(value));
        }
    }
}
