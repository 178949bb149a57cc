package org.pacs.storage.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pacs.storage.cli.config.CliConfig;
import org.pacs.storage.cli.config.ConfigValue;
import org.pacs.storage.cli.config.Section;
import org.pacs.storage.cli.config.SettingSpec;
import org.pacs.storage.cli.config.TierConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", description = "Configuration commands.", subcommands = ConfigCommand.Show.class)
final class ConfigCommand implements Callable<Integer> {

    static final String MASK = "********";

    @ParentCommand
    PacsStorageCli root;

    @Override
    public Integer call() {
        throw new UsageException("config needs a subcommand: show.");
    }

    @Command(name = "show", description = "Prints the effective configuration (defaults filled in, secrets masked).")
    static final class Show implements Callable<Integer> {

        @ParentCommand
        ConfigCommand parent;

        @Override
        public Integer call() {
            CliConfig c = parent.root.config();
            Map<String, Object> doc = effective(c);
            parent.root.print(doc, "# effective configuration, from " + c.source() + "\n" + yaml(doc, 0).stripTrailing());
            return PacsStorageCli.OK;
        }
    }

    static Map<String, Object> effective(CliConfig c) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("catalog", section(c.catalog()));
        Map<String, Object> tiers = new LinkedHashMap<>();
        for (TierConfig t : c.tiers().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", t.type());
            for (Map.Entry<String, ConfigValue> e : t.settings().entrySet()) {
                m.put(e.getKey(), t.isSecret(e.getKey()) ? MASK : e.getValue().value());
            }
            tiers.put(t.tier(), m);
        }
        doc.put("tiers", tiers);
        doc.put("hsm", section(c.hsm()));
        doc.put("migration", section(c.migration()));
        doc.put("security", section(c.security()));
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Section s) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (SettingSpec spec : s.specs()) {
            s.string(spec.key()).ifPresent(v -> {
                Map<String, Object> target = out;
                String[] parts = spec.key().split("\\.");
                for (int i = 0; i < parts.length - 1; i++) {
                    target = (Map<String, Object>) target.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
                }
                target.put(parts[parts.length - 1], spec.secret() ? MASK : maskUrl(v));
            });
        }
        return out;
    }

    /** JDBC URLs may carry a password parameter; it is as secret as a password key. */
    static String maskUrl(String v) {
        return v.replaceAll("(?i)(password=)[^&;]*", "$1" + MASK);
    }

    @SuppressWarnings("unchecked")
    private static String yaml(Map<String, Object> m, int indent) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            sb.append("  ".repeat(indent)).append(e.getKey()).append(':');
            if (e.getValue() instanceof Map<?, ?> child) {
                sb.append(child.isEmpty() ? " {}\n" : "\n" + yaml((Map<String, Object>) child, indent + 1));
            } else {
                sb.append(' ').append(e.getValue()).append('\n');
            }
        }
        return sb.toString();
    }
}
