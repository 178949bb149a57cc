package org.pacs.storage.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;
import org.pacs.storage.cli.UsageException;

class ConfigLoaderTest {

    private static final String TIERS = """
            tiers:
              hot:
                type: recording
                root-path: /data/hot
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of("S3_SECRET", "s3cr3t"), Path.of("."));

    @Test
    void fillsTheSpecDefaultsForWhatTheFileLeavesOut() {
        CliConfig c = loader.parse(TIERS, "a.yaml");

        assertThat(c.hot().type()).isEqualTo("recording");
        assertThat(c.hot().settings().get("root-path").value()).isEqualTo("/data/hot");
        assertThat(c.hot().settings().get("root-path").line()).isEqualTo(4);
        assertThat(c.hsm().duration("policy.hot-to-warm")).isEqualTo(Duration.ofDays(30));
        assertThat(c.hsm().duration("policy.warm-to-cold")).isEqualTo(Duration.ofDays(365));
        assertThat(c.hsm().size("policy.max-bytes-per-cycle")).isEqualTo(10L << 30);
        assertThat(c.hsm().integer("policy.max-instances-per-cycle")).isEqualTo(100);
        assertThat(c.hsm().bool("verify-after-migration")).isTrue();
        assertThat(c.migration().duration("migration-interval")).isEqualTo(Duration.ofHours(1));
        assertThat(c.migration().integer("max-concurrent-migrations")).isEqualTo(4);
        assertThat(c.catalogUrl()).isEqualTo("jdbc:sqlite:pacs-archive/catalog.db");
        assertThat(c.tier("warm")).isEmpty();
    }

    @Test
    void readsWrittenValuesOfEverySection() {
        CliConfig c = loader.parse(TIERS + """
                catalog: jdbc:postgresql://db/pacs
                hsm:
                  policy:
                    hot-to-warm: 12h
                    max-bytes-per-cycle: 50GiB
                  delete-after-migration: false
                migration:
                  migration-interval: 10s
                security:
                  database: /var/lib/pacs/security.db
                """, "b.yaml");

        assertThat(c.catalogUrl()).isEqualTo("jdbc:postgresql://db/pacs");
        assertThat(c.hsm().duration("policy.hot-to-warm")).isEqualTo(Duration.ofHours(12));
        assertThat(c.hsm().size("policy.max-bytes-per-cycle")).isEqualTo(50L << 30);
        assertThat(c.hsm().bool("delete-after-migration")).isFalse();
        assertThat(c.migration().duration("migration-interval")).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.security().string("database")).contains("/var/lib/pacs/security.db");
    }

    @Test
    void theCatalogIsAUrlOrAMappingWithCredentials() {
        CliConfig c = new ConfigLoader(Map.of("PW", "pg-secret"), Path.of(".")).parse(TIERS + """
                catalog:
                  url: jdbc:postgresql://db:5432/pacs
                  user: pacs
                  password: ${PW}
                """, "v.yaml");

        assertThat(c.catalogUrl()).isEqualTo("jdbc:postgresql://db:5432/pacs");
        assertThat(c.catalog().string("password")).contains("pg-secret");
        assertThat(c.catalog().isSecret("password")).isTrue();
        assertThatThrownBy(() -> loader.parse(TIERS + "catalog:\n  uri: jdbc:sqlite:x\n", "w.yaml"))
                .hasMessageContaining("w.yaml:6: catalog.uri: unknown key; accepted in catalog: url, user, password");
    }

    @Test
    void anUnknownTopLevelKeyNamesFileLineAndAcceptedKeys() {
        assertThatThrownBy(() -> loader.parse(TIERS + "hsn:\n  x: 1\n", "c.yaml"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("c.yaml:5: hsn: unknown key")
                .hasMessageContaining("catalog, tiers, hsm, migration, security");
    }

    @Test
    void anUnknownBackendKeyListsWhatThatBackendAccepts() {
        String yaml = TIERS + "    root-pth: /x\n";
        assertThatThrownBy(() -> loader.parse(yaml, "d.yaml"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("d.yaml:5: tiers.hot.root-pth: unknown key for type recording")
                .hasMessageContaining("access-key, part-size, root-path");
    }

    @Test
    void anUnknownHsmKeyListsTheAcceptedOnes() {
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  policy:\n    hot-to-cold: 3d\n", "e.yaml"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("e.yaml:7: hsm.policy.hot-to-cold: unknown key")
                .hasMessageContaining("policy.hot-to-warm");
    }

    @Test
    void aBadDurationSizeOrBooleanSaysWhatIsAccepted() {
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  policy:\n    hot-to-warm: 30 days\n", "f.yaml"))
                .hasMessageContaining("f.yaml:7: hsm.policy.hot-to-warm: '30 days' is not a duration")
                .hasMessageContaining("30d, 12h, 10s");
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  policy:\n    max-bytes-per-cycle: lots\n", "g.yaml"))
                .hasMessageContaining("g.yaml:7:").hasMessageContaining("100MiB");
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  track-access-time: maybe\n", "h.yaml"))
                .hasMessageContaining("h.yaml:6:").hasMessageContaining("true or false");
        assertThatThrownBy(() -> loader.parse(TIERS + "migration:\n  max-concurrent-migrations: -1\n", "i.yaml"))
                .hasMessageContaining("i.yaml:6:").hasMessageContaining("negative");
    }

    @Test
    void anUnknownTierOrTypeIsRejectedWithTheAcceptedValues() {
        assertThatThrownBy(() -> loader.parse("tiers:\n  hot:\n    type: recording\n  lukewarm:\n    type: recording\n",
                "j.yaml")).hasMessageContaining("j.yaml:4: tiers.lukewarm: unknown key")
                .hasMessageContaining("hot, warm, cold");
        assertThatThrownBy(() -> loader.parse("tiers:\n  hot:\n    type: floppy\n", "k.yaml"))
                .hasMessageContaining("k.yaml:3: tiers.hot.type: unknown type 'floppy'; accepted:")
                .hasMessageContaining("recording");
        assertThatThrownBy(() -> loader.parse("tiers:\n  hot:\n    root-path: /x\n", "l.yaml"))
                .hasMessageContaining("l.yaml:3: tiers.hot.type is missing");
        assertThatThrownBy(() -> loader.parse("tiers:\n  warm:\n    type: recording\n", "m.yaml"))
                .hasMessageContaining("tiers.hot is missing");
    }

    @Test
    void environmentReferencesAreReplacedAndAMissingOneIsAnError() {
        CliConfig c = loader.parse(TIERS + "    access-key: ${S3_SECRET}\n", "n.yaml");
        assertThat(c.hot().settings().get("access-key").value()).isEqualTo("s3cr3t");
        assertThat(c.hot().isSecret("access-key")).isTrue();

        assertThatThrownBy(() -> loader.parse(TIERS + "    access-key: ${NOPE_NOT_SET}\n", "o.yaml"))
                .hasMessageContaining("o.yaml:5: tiers.hot.access-key: environment variable NOPE_NOT_SET is not set");
    }

    @Test
    void syntaxErrorsDuplicatesAndEmptyValuesCarryTheirLine() {
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm: [unclosed\n", "p.yaml"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("p.yaml:").hasMessageContaining("YAML");
        assertThatThrownBy(() -> loader.parse(TIERS + "    root-path: /again\n", "q.yaml"))
                .hasMessageContaining("q.yaml:5: tiers.hot.root-path is given twice");
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  track-access-time:\n", "r.yaml"))
                .hasMessageContaining("r.yaml:6: hsm.track-access-time has no value");
        assertThatThrownBy(() -> loader.parse("- a\n- b\n", "s.yaml"))
                .hasMessageContaining("s.yaml:1: the top level must be a mapping");
    }

    @Test
    void aValueTheProviderRejectsIsReportedAtItsLine() {
        CliConfig c = loader.parse(TIERS + "    part-size: big\n", "t.yaml");
        assertThatThrownBy(() -> c.hot().create())
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("t.yaml:5: tiers.hot.part-size: part-size 'big' is not a number");
        CliConfig fine = loader.parse(TIERS, "u.yaml");
        assertThatThrownBy(() -> fine.hot().create())
                .isNotInstanceOf(UsageException.class)
                .isInstanceOf(StorageException.class);
    }

    @Test
    void fileLookupOrderIsOptionThenEnvironmentThenWorkingDirectory(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), TIERS.replace("/data/hot", "/from-option"));
        Path b = Files.writeString(dir.resolve("b.yaml"), TIERS.replace("/data/hot", "/from-env"));
        Files.writeString(dir.resolve(ConfigLoader.DEFAULT_FILE), TIERS.replace("/data/hot", "/from-cwd"));
        ConfigLoader withEnv = new ConfigLoader(Map.of(ConfigLoader.ENV_VAR, b.toString()), dir);
        ConfigLoader withoutEnv = new ConfigLoader(Map.of(), dir);

        assertThat(root(withEnv.load(a))).isEqualTo("/from-option");
        assertThat(root(withEnv.load(null))).isEqualTo("/from-env");
        assertThat(root(withoutEnv.load(null))).isEqualTo("/from-cwd");
        assertThatThrownBy(() -> withoutEnv.load(dir.resolve("missing.yaml")))
                .isInstanceOf(UsageException.class).hasMessageContaining("missing.yaml (from --config) does not exist");
    }

    private static String root(CliConfig c) {
        return c.hot().settings().get("root-path").value();
    }
}
