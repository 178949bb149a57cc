package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;

/** release: watermark end to end through the command: the kept hot copy, tier, stats, release, retrieve. */
class SpaceIT {

    @TempDir
    Path dir;

    @Test
    void watermarkKeepsHotCopiesUntilReleaseDropsThemOldestFirst() throws Exception {
        Path config = Files.writeString(dir.resolve("pacs-storage.yaml"), """
                catalog: jdbc:sqlite:archive/catalog.db
                tiers:
                  hot:
                    type: file
                    root: archive/hot
                    capacity: 100KiB
                  warm:
                    type: file
                    root: archive/warm
                hsm:
                  release: watermark
                  high-watermark: 50%
                  low-watermark: 25%
                """);
        Cli cli = new Cli(dir);
        Cli.Result g = cli.run("generate", "-o", "in", "--studies", "1", "--series", "1", "--instances", "4",
                "--bytes", "15000");
        assertThat(g.exit()).as(g.toString()).isZero();
        List<Path> files = GenerateIT.files(dir.resolve("in"));
        assertThat(cli.run("store", "in").exit()).isZero();
        List<String> uids = new java.util.ArrayList<>();
        for (Path f : files) {
            uids.add(DicomReader.readHeader(f).dataset().getUid(Tag.SOPInstanceUID).orElseThrow());
        }
        List<String> args = new java.util.ArrayList<>(List.of("migrate", "--to", "warm"));
        args.addAll(uids);
        Cli.Result m = cli.run(args.toArray(String[]::new));
        assertThat(m.exit()).as(m.toString()).isZero();

        String uid = uids.get(0);
        assertThat(cli.run("tier", uid).out().strip()).isEqualTo("warm (copies: warm, hot)");
        assertThat(cli.run("tier", "--json", uid).out()).contains("\"copies\"").contains("\"hot\"");
        Cli.Result stats = cli.run("stats");
        assertThat(stats.out()).contains("+ 4 cached copies").contains("of 102.4 kB")
                .contains("release: watermark, high watermark 50%, low watermark 25%");

        Cli.Result r = cli.run("release");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("Released ").contains("high 50%, low 25%");
        Cli.Result again = cli.run("release", "--json");
        assertThat(again.exit()).isZero();
        assertThat(Cli.jsonField(again.out(), "released")).isEqualTo("0");
        long left = Long.parseLong(Cli.jsonField(again.out(), "usedAfter"));
        assertThat(left).isLessThanOrEqualTo(25 * 1024);

        for (int i = 0; i < files.size(); i++) {
            Cli.Result back = cli.run("retrieve", uids.get(i), "-o", "-");
            assertThat(back.stdoutBytes()).isEqualTo(Files.readAllBytes(files.get(i)));
        }
        assertThat(cli.run("verify").exit()).isZero();
        assertThat(Files.readString(config)).contains("capacity");
    }
}
