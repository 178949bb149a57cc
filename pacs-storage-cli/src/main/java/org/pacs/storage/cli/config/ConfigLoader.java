package org.pacs.storage.cli.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.pacs.storage.StorageException;
import org.pacs.storage.cli.UsageException;
import org.pacs.storage.spi.StorageBackendProvider;

/**
 * Finds and reads the configuration: {@code --config FILE}, else {@code $PACS_STORAGE_CONFIG}, else
 * {@code ./pacs-storage.yaml}, else the embedded default. The file is read into a {@link YamlTree} (lines kept),
 * laid over the records' defaults and bound by Jackson into {@link CliConfig}; Jackson's refusals become
 * messages naming file, line, key and the accepted values ({@link ConfigErrors}). The tiers stay string maps
 * handed to each type's {@link StorageBackendProvider}, which owns its keys.
 */
public final class ConfigLoader {

    public static final String ENV_VAR = "PACS_STORAGE_CONFIG";
    public static final String DEFAULT_FILE = "pacs-storage.yaml";
    public static final String EMBEDDED = "embedded default";
    static final String DEFAULT_ARCHIVE = "pacs-archive";
    private static final String EMBEDDED_RESOURCE = "/org/pacs/storage/cli/default-config.yaml";
    private static final List<String> TIERS = List.of(CliConfig.HOT, CliConfig.WARM, CliConfig.COLD);

    /**
     * Binds trees to the configuration records and writes them back ({@code config show}): kebab-case keys,
     * durations and sizes in {@link Units}' grammar, scalars only from text, and no key Jackson does not know.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .addModule(new UnitsModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .build();

    /** What Jackson binds a file to; the tiers are turned into {@link TierConfig}s afterwards. */
    record Document(CatalogConfig catalog, Tiers tiers, HsmConfig hsm, MigrationConfig migration,
                    SecurityConfig security, org.pacs.storage.dimse.DimseConfig dimse,
                    org.pacs.storage.dicomweb.DicomWebConfig dicomweb) {
    }

    record Tiers(Map<String, String> hot, Map<String, String> warm, Map<String, String> cold) {
    }

    private final Map<String, String> env;
    private final Path workingDir;

    public ConfigLoader(Map<String, String> env, Path workingDir) {
        this.env = Map.copyOf(env);
        this.workingDir = workingDir;
    }

    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System.getenv(), Path.of(""));
    }

    /** {@code explicit} is the {@code --config} value or null. */
    public CliConfig load(Path explicit) {
        Path file = explicit;
        String how = "--config";
        if (file == null && env.get(ENV_VAR) != null && !env.get(ENV_VAR).isBlank()) {
            file = Path.of(env.get(ENV_VAR));
            how = "$" + ENV_VAR;
        }
        if (file == null) {
            Path local = workingDir.resolve(DEFAULT_FILE);
            if (!Files.exists(local)) {
                return parse(embeddedText(), EMBEDDED);
            }
            file = local;
            how = "./" + DEFAULT_FILE;
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException("Configuration file " + file + " (from " + how + ") does not exist or is not"
                    + " a file; fix the path, or remove it to use the embedded default.");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UsageException("Cannot read configuration file " + file + ": " + e.getMessage()
                    + "; check its permissions.", e);
        }
    }

    public CliConfig parse(String text, String source) {
        YamlTree file = YamlTree.read(text, source, env, ConfigErrors.keysOf(Document.class));
        ObjectNode written = file.root().deepCopy();
        if (written.get("catalog") instanceof TextNode url) {
            written.putObject("catalog").set("url", url);
        }
        ObjectNode doc = MAPPER.createObjectNode();
        doc.set("catalog", MAPPER.valueToTree(CatalogConfig.DEFAULTS));
        doc.set("hsm", MAPPER.valueToTree(HsmConfig.DEFAULTS));
        doc.set("migration", MAPPER.valueToTree(MigrationConfig.DEFAULTS));
        doc.set("security", MAPPER.valueToTree(SecurityConfig.DEFAULTS));
        // the network faces exist only where their section is written: its keys then lay over their defaults
        if (written.get("dimse") instanceof ObjectNode) {
            doc.set("dimse", MAPPER.valueToTree(org.pacs.storage.dimse.DimseConfig.defaults()));
        }
        if (written.get("dicomweb") instanceof ObjectNode) {
            doc.set("dicomweb", MAPPER.valueToTree(org.pacs.storage.dicomweb.DicomWebConfig.defaults()));
        }
        overlay(doc, written);
        Document d;
        try {
            d = MAPPER.treeToValue(doc, Document.class);
        } catch (JsonMappingException e) {
            throw ConfigErrors.translate(e, file, doc);
        } catch (IOException e) {
            throw new UsageException(source + ": cannot be read (" + e.getMessage() + ").", e);
        }
        checkReleaseAlias(written, file);
        Map<String, TierConfig> tiers = d.tiers() != null ? tiers(d.tiers(), file)
                : (source.equals(EMBEDDED) ? Map.of() : parse(embeddedText(), EMBEDDED).tiers());
        if (!tiers.containsKey(CliConfig.HOT)) {
            throw new UsageException(file.source() + ":" + file.line("tiers") + ": tiers.hot is missing; every archive needs a hot tier"
                    + " (e.g. type: file, root-path: pacs-archive/hot).");
        }
        return new CliConfig(source, tiers, d.catalog(), d.hsm(), d.migration(), d.security(), d.dimse(),
                d.dicomweb());
    }

    /**
     * {@code delete-after-migration: true} is the old name of {@code release: immediate}; written beside
     * {@code release: watermark} the two contradict each other.
     */
    private static void checkReleaseAlias(ObjectNode written, YamlTree file) {
        JsonNode release = written.at("/hsm/release");
        JsonNode delete = written.at("/hsm/delete-after-migration");
        if (release.isTextual() && release.asText().equalsIgnoreCase("watermark") && delete.isTextual()
                && delete.asText().equalsIgnoreCase("true")) {
            throw new UsageException(file.where("hsm.delete-after-migration") + ": delete-after-migration: true"
                    + " means release: immediate, but release is watermark; remove delete-after-migration.");
        }
    }

    /** Lays what the file wrote over the defaults, mapping into mapping; a written scalar replaces a default. */
    private static void overlay(ObjectNode defaults, ObjectNode written) {
        for (Iterator<Map.Entry<String, JsonNode>> it = written.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (defaults.get(e.getKey()) instanceof ObjectNode d && e.getValue() instanceof ObjectNode w) {
                overlay(d, w);
            } else {
                defaults.set(e.getKey(), e.getValue());
            }
        }
    }

    private Map<String, TierConfig> tiers(Tiers t, YamlTree file) {
        Map<String, Map<String, String>> written = new LinkedHashMap<>();
        written.put(CliConfig.HOT, t.hot());
        written.put(CliConfig.WARM, t.warm());
        written.put(CliConfig.COLD, t.cold());
        Map<String, TierConfig> out = new LinkedHashMap<>();
        for (String tier : TIERS) {
            if (written.get(tier) != null) {
                out.put(tier, tier(tier, new LinkedHashMap<>(written.get(tier)), file));
            }
        }
        return out;
    }

    private static TierConfig tier(String tier, Map<String, String> raw, YamlTree file) {
        String prefix = "tiers." + tier;
        String typeText = raw.remove("type");
        if (typeText == null) {
            String first = raw.isEmpty() ? prefix : prefix + "." + raw.keySet().iterator().next();
            throw new UsageException(file.source() + ":" + file.line(first) + ": " + prefix + ".type is missing;"
                    + " accepted: " + knownTypes() + ".");
        }
        ConfigValue type = value(prefix + ".type", typeText, file);
        String capacityText = raw.remove("capacity"); // the archive's key for every type, not the backend's
        ConfigValue capacity = null;
        if (capacityText != null) {
            capacity = value(prefix + ".capacity", capacityText, file);
            try {
                if (Units.parseSize(capacityText) <= 0) {
                    throw new IllegalArgumentException("'" + capacityText + "' is not positive; use a size such as"
                            + " 500GiB");
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(capacity.where() + ": " + e.getMessage() + ".", e);
            }
        }
        StorageBackendProvider provider;
        try {
            provider = StorageBackendProvider.forType(typeText);
        } catch (StorageException ex) {
            throw new UsageException(type.where() + ": unknown type '" + typeText + "'; accepted: " + knownTypes()
                    + ".", ex);
        }
        Map<String, ConfigValue> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : raw.entrySet()) {
            String key = prefix + "." + s.getKey();
            if (!provider.settingKeys().contains(s.getKey())) {
                throw new UsageException(file.where(key) + ": unknown key for type " + typeText + "; accepted: type,"
                        + " capacity, " + String.join(", ", provider.settingKeys().stream().sorted().toList()) + ".");
            }
            settings.put(s.getKey(), value(key, s.getValue(), file));
        }
        return new TierConfig(tier, type, provider, settings, capacity);
    }

    private static ConfigValue value(String key, String text, YamlTree file) {
        return new ConfigValue(key, text, file.has(key) ? file.line(key) : 0, file.source());
    }

    private static String knownTypes() {
        List<String> types = new ArrayList<>();
        ServiceLoader.load(StorageBackendProvider.class).forEach(p -> types.add(p.type()));
        return types.isEmpty() ? "(no backend installed)" : String.join(", ", types.stream().sorted().toList());
    }

    static String embeddedText() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw StorageException.internal("The embedded default configuration is missing from the jar;"
                    + " rebuild it with ./pacs-storage.", e);
        }
    }
}
