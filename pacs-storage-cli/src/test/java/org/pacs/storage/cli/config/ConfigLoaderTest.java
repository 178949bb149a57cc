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
        assertThat(c.hsm().policy().hotToWarm()).isEqualTo(Duration.ofDays(30));
        assertThat(c.hsm().policy().warmToCold()).isEqualTo(Duration.ofDays(365));
        assertThat(c.hsm().policy().maxBytesPerCycle()).isEqualTo(10L << 30);
        assertThat(c.hsm().policy().maxInstancesPerCycle()).isEqualTo(100);
        assertThat(c.hsm().verifyAfterMigration()).isTrue();
        assertThat(c.migration().migrationInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.migration().maxConcurrentMigrations()).isEqualTo(4);
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
        assertThat(c.hsm().policy().hotToWarm()).isEqualTo(Duration.ofHours(12));
        assertThat(c.hsm().policy().maxBytesPerCycle()).isEqualTo(50L << 30);
        assertThat(c.hsm().deleteAfterMigration()).isFalse();
        assertThat(c.migration().migrationInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.security().database()).isEqualTo("/var/lib/pacs/security.db");
    }

    @Test
    void theDimseSectionReadsRequireUserIdentityDefaultingToFalse() {
        CliConfig off = loader.parse(TIERS + "dimse:\n  ae-title: ARCHIVE\n", "d.yaml");
        assertThat(off.dimseSection()).hasValueSatisfying(d -> assertThat(d.requireUserIdentity()).isFalse());
        CliConfig on = loader.parse(TIERS + "dimse:\n  require-user-identity: true\n", "e.yaml");
        assertThat(on.dimseSection()).hasValueSatisfying(d -> assertThat(d.requireUserIdentity()).isTrue());
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
        assertThat(c.catalog().password()).isEqualTo("pg-secret");
        assertThat(c.catalog().masked("***").password()).isEqualTo("***");
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
                .hasMessageContaining("accepted in hsm.policy: hot-to-warm, warm-to-cold, auto-migrate,");
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  verify: true\n", "e2.yaml"))
                .hasMessage("e2.yaml:6: hsm.verify: unknown key; accepted in hsm: policy, track-access-time,"
                        + " verify-after-migration, delete-after-migration, release, high-watermark, low-watermark,"
                        + " recall-on-read.");
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
                .hasMessageContaining("m.yaml:1: tiers.hot is missing");
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

    @Test
    void everyRecordFieldIsReadFromItsKebabCaseKey() {
        CliConfig c = loader.parse(TIERS + """
                hsm:
                  policy:
                    hot-to-warm: 500ms
                    warm-to-cold: 7m
                    auto-migrate: false
                    min-migration-size: 100MiB
                    max-instances-per-cycle: 7
                    max-bytes-per-cycle: 15GB
                  track-access-time: false
                  verify-after-migration: false
                migration:
                  max-concurrent-migrations: 0
                  auto-start: true
                """, "all.yaml");

        assertThat(c.hsm()).isEqualTo(new HsmConfig(new PolicyConfig(Duration.ofMillis(500), Duration.ofMinutes(7),
                false, 100L << 20, 7, 15_000_000_000L), false, false, true));
        assertThat(c.migration()).isEqualTo(MigrationConfig.DEFAULTS.withMaxConcurrentMigrations(0).withAutoStart(true));
        assertThat(c.catalog()).isEqualTo(CatalogConfig.DEFAULTS);
        assertThat(loader.parse(TIERS, "none.yaml").hsm()).isEqualTo(HsmConfig.DEFAULTS);
    }

    @Test
    void dicomwebViewerNamesTheOhifFilesServedAtSlashViewer() {
        CliConfig c = loader.parse(TIERS + "dicomweb:\n  port: 0\n  viewer: pacs-storage-dicomweb/viewer/ohif\n",
                "v.yaml");
        assertThat(c.dicomwebSection().orElseThrow().viewer()).isEqualTo(Path.of("pacs-storage-dicomweb/viewer/ohif"));
        assertThat(loader.parse(TIERS + "dicomweb:\n  port: 0\n", "v2.yaml").dicomwebSection().orElseThrow()
                .viewer()).isNull();
    }

    @Test
    void aValueOfTheWrongShapeOrTypeNamesWhatIsExpected() {
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm: lots\n", "w1.yaml"))
                .hasMessage("w1.yaml:5: hsm must be a mapping of key: value with keys policy, track-access-time,"
                        + " verify-after-migration, delete-after-migration, release, high-watermark, low-watermark,"
                        + " recall-on-read.");
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  track-access-time:\n    on: 1\n", "w2.yaml"))
                .hasMessage("w2.yaml:6: hsm.track-access-time must be a single value, not a mapping.");
        assertThatThrownBy(() -> loader.parse(TIERS + "migration:\n  migration-interval: [1h, 2h]\n", "w3.yaml"))
                .hasMessageStartingWith("w3.yaml:6: migration.migration-interval must be a single value, not a list");
        assertThatThrownBy(() -> loader.parse(TIERS + "migration:\n  max-concurrent-migrations: 4.5\n", "w4.yaml"))
                .hasMessage("w4.yaml:6: migration.max-concurrent-migrations: '4.5' is not a whole number; use a whole"
                        + " number >= 0.");
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  policy:\n    max-instances-per-cycle: 99999999999\n",
                "w5.yaml")).hasMessageContaining("w5.yaml:7: hsm.policy.max-instances-per-cycle: '99999999999' is not"
                        + " a whole number");
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  track-access-time: ''\n", "w6.yaml"))
                .hasMessageContaining("w6.yaml:6: hsm.track-access-time: '' is not a boolean; use true or false");
        assertThatThrownBy(() -> loader.parse(TIERS + "tiers2: 1\n", "w7.yaml")).hasMessageContaining("w7.yaml:5:");
        assertThatThrownBy(() -> loader.parse("tiers:\n  hot: /data\n", "w8.yaml"))
                .hasMessage("w8.yaml:2: tiers.hot must be a mapping of key: value.");
        assertThatThrownBy(() -> loader.parse(TIERS + "    access-key:\n      nested: x\n", "w9.yaml"))
                .hasMessageContaining("w9.yaml:5: tiers.hot.access-key must be a single value, not a mapping");
    }

    @Test
    void aBadSizeOrDurationCarriesTheGrammarsMessage() {
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  policy:\n    min-migration-size: 10m\n", "z1.yaml"))
                .hasMessage("z1.yaml:7: hsm.policy.min-migration-size: '10m' is not a size; use " + Units.SIZE_FORMS
                        + ".");
        assertThatThrownBy(() -> loader.parse(TIERS + "migration:\n  migration-interval: 3600\n", "z2.yaml"))
                .hasMessage("z2.yaml:6: migration.migration-interval: '3600' is not a duration; use "
                        + Units.DURATION_FORMS + ".");
    }

    @Test
    void anUnsupportedCatalogUrlIsRefusedAtLoadWithItsLine() {
        assertThatThrownBy(() -> loader.parse(TIERS + "catalog: jdbc:mysql://db/pacs\n", "cat.yaml"))
                .isInstanceOf(UsageException.class)
                .hasMessage("cat.yaml:5: catalog.url: 'jdbc:mysql://db/pacs' is not a supported catalog; accepted:"
                        + " jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE.");
        assertThatThrownBy(() -> loader.parse(TIERS + "catalog:\n  user: pacs\n  url: x\n", "cat2.yaml"))
                .hasMessageStartingWith("cat2.yaml:7: catalog.url: 'x' is not a supported catalog");
    }

    @Test
    void quotedNumbersAndBooleansAreReadByTheFieldNotByYaml() {
        CliConfig c = loader.parse(TIERS + """
                hsm:
                  policy:
                    max-instances-per-cycle: "12"
                  track-access-time: "false"
                security:
                  database: 1234
                """, "q.yaml");
        assertThat(c.hsm().policy().maxInstancesPerCycle()).isEqualTo(12);
        assertThat(c.hsm().trackAccessTime()).isFalse();
        assertThat(c.security().database()).isEqualTo("1234");
    }

    @Test
    void aSecondDocumentAndNullLiteralsAreRefused() {
        assertThatThrownBy(() -> loader.parse(TIERS + "---\nhsm: {}\n", "doc.yaml"))
                .hasMessageStartingWith("doc.yaml:").hasMessageContaining("second YAML document");
        assertThatThrownBy(() -> loader.parse(TIERS + "security:\n  database: null\n", "nul.yaml"))
                .hasMessage("nul.yaml:6: security.database has no value; give one or remove the key to use the"
                        + " default.");
        assertThat(loader.parse("", "empty.yaml").hot().type()).isEqualTo("file");
        assertThatThrownBy(() -> loader.parse("tiers:\n  hot: &h\n    type: recording\n  warm: *h\n", "alias.yaml"))
                .hasMessage("alias.yaml:4: tiers.warm: YAML aliases (*h) are not supported in the configuration;"
                        + " write the value out.");
    }

    @Test
    void aFileTierTakesRootPathAsWellAsRoot(@TempDir Path dir) throws Exception {
        for (String key : new String[] {"root", "root-path"}) {
            Path root = dir.resolve(key);
            CliConfig c = loader.parse("tiers:\n  hot:\n    type: file\n    " + key + ": " + root + "\n", "f.yaml");
            try (var store = c.hot().createBlobStore()) {
                assertThat(store).isNotNull();
            }
            assertThat(root).isDirectory();
        }
        CliConfig both = loader.parse("tiers:\n  hot:\n    type: file\n    root: " + dir + "\n    root-path: "
                + dir + "\n", "both.yaml");
        assertThatThrownBy(() -> both.hot().createBlobStore()).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("both.yaml:5: tiers.hot.root-path: ").hasMessageContaining("give one of them");
    }

    private static String root(CliConfig c) {
        return c.hot().settings().get("root-path").value();
    }
}
