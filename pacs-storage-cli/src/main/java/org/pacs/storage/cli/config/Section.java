package org.pacs.storage.cli.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One validated group of CLI-owned settings (catalog, hsm, migration, security): the values written in the file
 * plus the spec's defaults for the rest. Values were checked at load time, so the typed getters cannot fail.
 */
public final class Section {

    private final String name;
    private final List<SettingSpec> specs;
    private final Map<String, ConfigValue> written;

    Section(String name, List<SettingSpec> specs, Map<String, ConfigValue> written) {
        this.name = name;
        this.specs = List.copyOf(specs);
        this.written = Collections.unmodifiableMap(new LinkedHashMap<>(written));
    }

    public String name() {
        return name;
    }

    public List<SettingSpec> specs() {
        return specs;
    }

    /** The written value, or the default as a value with line 0; empty when neither exists. */
    public Optional<ConfigValue> value(String key) {
        ConfigValue v = written.get(key);
        if (v != null) {
            return Optional.of(v);
        }
        SettingSpec spec = spec(key);
        return spec.defaultValue() == null ? Optional.empty()
                : Optional.of(ConfigValue.ofDefault(name + "." + key, spec.defaultValue()));
    }

    public Optional<String> string(String key) {
        return value(key).map(ConfigValue::value);
    }

    public Duration duration(String key) {
        return Units.parseDuration(required(key));
    }

    public long size(String key) {
        return Units.parseSize(required(key));
    }

    public int integer(String key) {
        return Math.toIntExact(Long.parseLong(required(key).trim()));
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(required(key).trim());
    }

    public boolean isSecret(String key) {
        return spec(key).secret();
    }

    private String required(String key) {
        return string(key).orElseThrow(() -> new IllegalStateException(name + "." + key + " has no default"));
    }

    private SettingSpec spec(String key) {
        return specs.stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no setting " + name + "." + key));
    }
}
