package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigIT {

    @TempDir
    Path dir;

    @Test
    void anUnknownKeyStopsWithFileLineKeyAndAcceptedKeysAndExitTwo() throws Exception {
        Files.writeString(dir.resolve("pacs-storage.yaml"), """
                tiers:
                  hot:
                    type: file
                    root: archive/hot
                    rooot: archive/typo
                """);

        Cli.Result r = new Cli(dir).run("stats");

        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("pacs-storage.yaml:5").contains("tiers.hot.rooot").contains("accepted")
                .contains("root");
        assertThat(dir.resolve("archive")).doesNotExist();
    }

    @Test
    void aBadValueNamesTheAcceptedForms() throws Exception {
        Path file = Files.writeString(dir.resolve("custom.yaml"), """
                hsm:
                  policy:
                    hot-to-warm: soon
                """);

        Cli.Result r = new Cli(dir).run("--config", file.toString(), "stats");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("custom.yaml:3").contains("hsm.policy.hot-to-warm").contains("30d");
    }

    @Test
    void theEnvironmentVariableNamesTheFileAndAMissingFileIsAUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("env.yaml"), """
                migration:
                  migration-interval: 10m
                """);
        Cli.Result shown = new Cli(dir).env("PACS_STORAGE_CONFIG", file.toString()).run("config", "show");
        assertThat(shown.exit()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains("env.yaml").contains("migration-interval: 10m");

        Cli.Result missing = new Cli(dir).run("--config", "nowhere.yaml", "stats");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nowhere.yaml");
    }

    @Test
    void configShowPrintsTheEmbeddedDefaultWithSpecDefaults() {
        Cli.Result r = new Cli(dir).run("config", "show");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("embedded default").contains("root: pacs-archive/hot")
                .contains("root: pacs-archive/warm").contains("root: pacs-archive/cold")
                .contains("jdbc:sqlite:pacs-archive/catalog.db").contains("hot-to-warm: 30d")
                .contains("warm-to-cold: 365d").contains("max-concurrent-migrations: 4");
        Cli.Result json = new Cli(dir).run("config", "show", "--json");
        assertThat(Cli.jsonField(json.out(), "hot-to-warm")).isEqualTo("30d");
    }

    @Test
    void configShowMasksSecretsTakenFromTheEnvironment() throws Exception {
        Files.writeString(dir.resolve("pacs-storage.yaml"), """
                catalog: jdbc:postgresql://db.example/pacs?user=pacs&password=${DB_PASSWORD}
                tiers:
                  hot:
                    type: file
                    root: archive/hot
                  cold:
                    type: s3
                    bucket-name: dicom-archive
                    access-key-id: AKIAEXAMPLE
                    secret-access-key: ${S3_SECRET}
                  warm:
                    type: azure
                    container-name: dicom
                    connection-string: ${AZURE_CONNECTION}
                """);

        Cli.Result r = new Cli(dir).env("S3_SECRET", "s3-very-secret").env("DB_PASSWORD", "db-very-secret")
                .env("AZURE_CONNECTION", "AccountName=a;AccountKey=az-very-secret").run("config", "show");

        assertThat(r.exit()).as(r.toString()).isZero();
        // The mask is quoted: a plain ******** would start a YAML alias, and what is shown must read back as YAML.
        assertThat(r.out()).contains("bucket-name: dicom-archive").contains("secret-access-key: '********'")
                .contains("password=********").doesNotContain("very-secret");
    }

    @Test
    void aMissingEnvironmentVariableIsAConfigurationError() throws Exception {
        Files.writeString(dir.resolve("pacs-storage.yaml"), """
                tiers:
                  hot:
                    type: file
                    root: ${ARCHIVE_ROOT_NOT_SET}
                """);

        Cli.Result r = new Cli(dir).run("stats");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("pacs-storage.yaml:4").contains("ARCHIVE_ROOT_NOT_SET");
    }
}
