package org.pacs.storage.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pacs.storage.StorageException;
import org.pacs.storage.cli.config.CliConfig;
import org.pacs.storage.cli.config.ConfigLoader;
import org.pacs.storage.cli.config.ConfigValue;
import org.pacs.storage.cli.config.TierConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", description = "Configuration commands.", subcommands = ConfigCommand.Show.class)
final class ConfigCommand implements Callable<Integer> {

    static final String MASK = "********";

    /** Plain YAML, quoted only where YAML needs it, so what is shown reads back as a configuration file. */
    private static final ObjectWriter YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build()).writer();

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
            ObjectNode doc = effective(c);
            parent.root.print(doc, "# effective configuration, from " + c.source() + "\n" + yaml(doc).stripTrailing());
            return PacsStorageCli.OK;
        }
    }

    /**
     * The configuration as the records hold it, written back through the same mapper that read it (so durations
     * and sizes print as {@code 30d} and {@code 10GiB}); unset optional keys left out, every secret masked.
     */
    static ObjectNode effective(CliConfig c) {
        ObjectNode doc = ConfigLoader.MAPPER.createObjectNode();
        doc.set("catalog", tree(c.catalog().masked(MASK)));
        ObjectNode tiers = doc.putObject("tiers");
        for (TierConfig t : c.tiers().values()) {
            ObjectNode tier = tiers.putObject(t.tier());
            tier.put("type", t.type());
            for (Map.Entry<String, ConfigValue> e : t.settings().entrySet()) {
                tier.put(e.getKey(), t.isSecret(e.getKey()) ? MASK : e.getValue().value());
            }
            t.capacitySetting().ifPresent(v -> tier.put("capacity", v.value()));
        }
        doc.set("hsm", tree(c.hsm()));
        doc.set("migration", tree(c.migration()));
        doc.set("security", tree(c.security()));
        return doc;
    }

    private static ObjectNode tree(Object section) {
        ObjectNode node = ConfigLoader.MAPPER.valueToTree(section);
        node.properties().removeIf(e -> e.getValue().isNull());
        return node;
    }

    static String yaml(ObjectNode doc) {
        try {
            return YAML.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw StorageException.internal("Cannot print the configuration: " + e.getOriginalMessage(), e);
        }
    }
}
