package org.pacs.storage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.pacs.storage.StorageException;
import org.pacs.storage.spool.InstanceSpooler;

/**
 * The pydicom sample corpus Debian installs with python3-pydicom. Never copied into the repository; tests
 * that use it skip with a reason when it is absent. Override the location with -Dpacs.pydicom.data=DIR.
 */
public final class DicomSamples {

    public static final Path DEFAULT_DIR = Path.of("/usr/lib/python3/dist-packages/pydicom/data");

    private static volatile List<Path> storable;

    private DicomSamples() {
    }

    public static Path dir() {
        String p = System.getProperty("pacs.pydicom.data");
        return p == null || p.isBlank() ? DEFAULT_DIR : Path.of(p);
    }

    public static boolean available() {
        return Files.isDirectory(dir());
    }

    /** Skips the calling test, with a one-line reason, when the corpus is absent. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(available(), "pydicom samples absent at " + dir() + " (install python3-pydicom)");
    }

    /** Every file that is meant to be DICOM: *.dcm and the extension-less DICOMDIR test instances. */
    public static List<Path> all() {
        if (!available()) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir())) {
            return s.filter(Files::isRegularFile).filter(DicomSamples::looksLikeDicom).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The files a backend must accept: those the shared ingest step parses and finds complete, with valid
     * SOP Instance, Study and Series UIDs. Files broken by design (truncated, no UIDs) are left out here and
     * covered by the bad-input tests instead. Computed once per JVM.
     */
    public static List<Path> storable() {
        List<Path> s = storable;
        if (s != null) {
            return s;
        }
        List<Path> out = new ArrayList<>();
        Path spool;
        try {
            spool = Files.createTempDirectory("samples-spool");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Files are parsed in place (no copy), so the spool directory stays empty.
        InstanceSpooler spooler = new InstanceSpooler(spool);
        for (Path p : all()) {
            try {
                spooler.spool(p).close();
                out.add(p);
            } catch (StorageException e) {
                // broken by design or without UIDs: not a round-trip candidate
            }
        }
        try {
            Files.deleteIfExists(spool);
        } catch (IOException ignored) {
            // an empty temp directory is harmless
        }
        storable = List.copyOf(out);
        return storable;
    }

    private static boolean looksLikeDicom(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".dcm") || (!n.contains(".") && p.toString().contains("dicomdirtests"));
    }
}
