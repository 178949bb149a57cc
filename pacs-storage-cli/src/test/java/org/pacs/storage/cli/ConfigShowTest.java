package org.pacs.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pacs.storage.cli.config.CliConfig;
import org.pacs.storage.cli.config.ConfigLoader;

class ConfigShowTest {

    private static final String FILE = """
            catalog:
              url: jdbc:postgresql://db:5432/pacs?password=${PW}
              user: pacs
              password: ${PW}
            tiers:
              hot:
                type: file
                root-path: "/data/with: colon # and hash"
              cold:
                type: s3
                bucket-name: archive
                secret-access-key: ${PW}
            hsm:
              policy:
                hot-to-warm: 12h
                min-migration-size: 1000
                max-bytes-per-cycle: 500GiB
              track-access-time: false
            migration:
              migration-interval: 90s
              max-concurrent-migrations: 2
            """;

    @Test
    void theShownConfigurationReadsBackAsTheSameConfigurationWithSecretsMasked() {
        CliConfig c = new ConfigLoader(Map.of("PW", "very-secret"), Path.of(".")).parse(FILE, "x.yaml");

        ObjectNode shown = ConfigCommand.effective(c);
        String text = shown.toString();
        assertThat(text).doesNotContain("very-secret").contains("password=********");
        assertThat(shown.at("/hsm/policy/hot-to-warm").asText()).isEqualTo("12h");
        assertThat(shown.at("/hsm/policy/max-bytes-per-cycle").asText()).isEqualTo("500GiB");
        assertThat(shown.at("/hsm/policy/min-migration-size").asLong()).isEqualTo(1000);
        assertThat(shown.at("/migration/migration-interval").asText()).isEqualTo("90s");
        assertThat(shown.at("/security/database").asText()).isEqualTo("pacs-archive/security.db");

        String yaml = ConfigCommand.yaml(shown);
        CliConfig back = new ConfigLoader(Map.of(), Path.of(".")).parse(yaml, "shown.yaml");
        assertThat(back.hsm()).isEqualTo(c.hsm());
        assertThat(back.migration()).isEqualTo(c.migration());
        assertThat(back.security()).isEqualTo(c.security());
        assertThat(back.catalog()).isEqualTo(c.catalog().masked(ConfigCommand.MASK));
        assertThat(back.hot().settings().get("root-path").value()).isEqualTo("/data/with: colon # and hash");
        assertThat(back.tier("cold").orElseThrow().settings().get("secret-access-key").value())
                .isEqualTo(ConfigCommand.MASK);
    }
}
