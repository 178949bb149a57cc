package org.pacs.storage.cli.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pacs.storage.StorageException;
import org.pacs.storage.cli.UsageException;
import org.pacs.storage.spi.StorageBackendProvider;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Finds and validates the configuration: {@code --config FILE}, else {@code $PACS_STORAGE_CONFIG}, else
 * {@code ./pacs-storage.yaml}, else the embedded default. The YAML is read through snakeyaml's node API rather
 * than into maps, because only nodes keep line numbers and every rejection must name file, line, key and the
 * accepted values.
 */
public final class ConfigLoader {

    public static final String ENV_VAR = "PACS_STORAGE_CONFIG";
    public static final String DEFAULT_FILE = "pacs-storage.yaml";
    public static final String EMBEDDED = "embedded default";
    private static final String EMBEDDED_RESOURCE = "/org/pacs/storage/cli/default-config.yaml";
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

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
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new UsageException(source + ":" + (m == null ? 0 : m.getLine() + 1) + ": not valid YAML ("
                    + e.getProblem() + "); fix the syntax.", e);
        } catch (YAMLException e) {
            throw new UsageException(source + ": not valid YAML (" + e.getMessage() + "); fix the syntax.", e);
        }
        Map<String, Node> top = root == null ? Map.of() : mapping(root, "", source, ConfigSchema.TOP_LEVEL);
        Map<String, TierConfig> tiers = top.containsKey("tiers") ? tiers(top.get("tiers"), source)
                : (source.equals(EMBEDDED) ? Map.of() : parse(embeddedText(), EMBEDDED).tiers());
        if (!tiers.containsKey(CliConfig.HOT)) {
            throw new UsageException(source + ":" + line(top.get("tiers")) + ": tiers.hot is missing; every"
                    + " archive needs a hot tier (e.g. type: file, root-path: pacs-archive/hot).");
        }
        Node catalog = top.get("catalog");
        Section catalogSection = catalog instanceof ScalarNode s
                ? new Section("catalog", ConfigSchema.CATALOG, Map.of("url", scalar(s, "catalog", source)))
                : section("catalog", catalog, ConfigSchema.CATALOG, source);
        return new CliConfig(source, tiers, catalogSection,
                section("hsm", top.get("hsm"), ConfigSchema.HSM, source),
                section("migration", top.get("migration"), ConfigSchema.MIGRATION, source),
                section("security", top.get("security"), ConfigSchema.SECURITY, source));
    }

    private Map<String, TierConfig> tiers(Node node, String source) {
        Map<String, TierConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : mapping(node, "tiers", source, ConfigSchema.TIERS).entrySet()) {
            String prefix = "tiers." + e.getKey();
            Map<String, Node> raw = mapping(e.getValue(), prefix, source, null);
            Node typeNode = raw.remove("type");
            if (typeNode == null) {
                throw new UsageException(source + ":" + line(e.getValue()) + ": " + prefix + ".type is missing;"
                        + " accepted: " + knownTypes() + ".");
            }
            ConfigValue type = scalar(typeNode, prefix + ".type", source);
            StorageBackendProvider provider;
            try {
                provider = StorageBackendProvider.forType(type.value());
            } catch (StorageException ex) {
                throw new UsageException(type.where() + ": unknown type '" + type.value() + "'; accepted: "
                        + knownTypes() + ".", ex);
            }
            Map<String, ConfigValue> settings = new LinkedHashMap<>();
            for (Map.Entry<String, Node> s : raw.entrySet()) {
                String key = prefix + "." + s.getKey();
                if (!provider.settingKeys().contains(s.getKey())) {
                    throw new UsageException(source + ":" + line(s.getValue()) + ": " + key + ": unknown key for"
                            + " type " + type.value() + "; accepted: type, "
                            + String.join(", ", sorted(provider.settingKeys())) + ".");
                }
                settings.put(s.getKey(), scalar(s.getValue(), key, source));
            }
            out.put(e.getKey(), new TierConfig(e.getKey(), type, provider, settings));
        }
        return out;
    }

    private Section section(String name, Node node, List<SettingSpec> specs, String source) {
        Map<String, ConfigValue> written = new LinkedHashMap<>();
        if (node != null) {
            flatten(node, name, "", source, written);
        }
        for (Map.Entry<String, ConfigValue> e : written.entrySet()) {
            ConfigValue v = e.getValue();
            SettingSpec spec = specs.stream().filter(s -> s.key().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new UsageException(v.where() + ": unknown key; accepted in " + name + ": "
                            + String.join(", ", SettingSpec.keys(specs)) + "."));
            String problem = spec.problem(v.value());
            if (problem != null) {
                throw new UsageException(v.where() + ": " + problem + ".");
            }
        }
        return new Section(name, specs, written);
    }

    private void flatten(Node node, String section, String prefix, String source, Map<String, ConfigValue> out) {
        String path = prefix.isEmpty() ? section : section + "." + prefix;
        for (Map.Entry<String, Node> e : mapping(node, path, source, null).entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof MappingNode) {
                flatten(e.getValue(), section, key, source, out);
            } else {
                out.put(key, scalar(e.getValue(), section + "." + key, source));
            }
        }
    }

    /** The mapping's entries in file order; rejects duplicates, and keys outside {@code accepted} when given. */
    private Map<String, Node> mapping(Node node, String path, String source, List<String> accepted) {
        String what = path.isEmpty() ? "the top level" : path;
        if (!(node instanceof MappingNode m)) {
            throw new UsageException(source + ":" + line(node) + ": " + what + " must be a mapping of key: value"
                    + (accepted == null ? "" : " with keys " + String.join(", ", accepted)) + ".");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new UsageException(source + ":" + line(t.getKeyNode()) + ": keys in " + what
                        + " must be plain names.");
            }
            String key = k.getValue();
            String full = path.isEmpty() ? key : path + "." + key;
            if (accepted != null && !accepted.contains(key)) {
                throw new UsageException(source + ":" + line(k) + ": " + full + ": unknown key; accepted"
                        + (path.isEmpty() ? "" : " in " + path) + ": " + String.join(", ", accepted) + ".");
            }
            if (out.put(key, t.getValueNode()) != null) {
                throw new UsageException(source + ":" + line(k) + ": " + full + " is given twice; keep one.");
            }
        }
        return out;
    }

    private ConfigValue scalar(Node node, String key, String source) {
        if (!(node instanceof ScalarNode s)) {
            throw new UsageException(source + ":" + line(node) + ": " + key + " must be a single value, not a "
                    + (node instanceof MappingNode ? "mapping" : "list") + ".");
        }
        if (s.getTag().getValue().endsWith(":null") && s.getValue().isEmpty()
                || s.getValue().equals("~") && s.getTag().getValue().endsWith(":null")) {
            throw new UsageException(source + ":" + line(s) + ": " + key + " has no value; give one or remove"
                    + " the key to use the default.");
        }
        return new ConfigValue(key, substitute(s.getValue(), key, source, line(s)), line(s), source);
    }

    private String substitute(String text, String key, String source, int line) {
        Matcher m = ENV_REF.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                throw new UsageException(source + ":" + line + ": " + key + ": environment variable " + m.group(1)
                        + " is not set; export it, or write the value in the file.");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static int line(Node node) {
        return node == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private static String knownTypes() {
        List<String> types = new ArrayList<>();
        java.util.ServiceLoader.load(StorageBackendProvider.class).forEach(p -> types.add(p.type()));
        return types.isEmpty() ? "(no backend installed)" : String.join(", ", sorted(types));
    }

    private static List<String> sorted(java.util.Collection<String> c) {
        return c.stream().sorted().toList();
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
