package org.pacs.storage.testkit.azure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Azurite that the testkit build installed with npm, so any module's tests can start it.
 * <p>Looked up in this order: system property {@value #EXECUTABLE_PROPERTY} (the {@code azurite-blob}
 * script), system property {@value #DIR_PROPERTY} (the directory holding the pinning package.json), then
 * walking up from the working directory to a {@code pacs-storage-testkit/azurite} (or {@code azurite})
 * directory. The installed version is checked against the pin so a stale node_modules cannot silently run.
 */
public final class AzuriteInstallation {

    public static final String EXECUTABLE_PROPERTY = "pacs.azurite.executable";
    public static final String DIR_PROPERTY = "pacs.azurite.dir";

    private static final Pattern PINNED = Pattern.compile("\"azurite\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
    private static final String HOW_TO_INSTALL = "Install it with 'mvn -pl pacs-storage-testkit -am compile"
            + " -Dazurite.reinstall' (needs Node.js 20+ and npm on the PATH).";

    private AzuriteInstallation() {
    }

    /** The {@code azurite-blob} launcher; throws IllegalStateException saying how to install it. */
    public static Path locate() {
        String exe = System.getProperty(EXECUTABLE_PROPERTY);
        if (exe != null && !exe.isBlank()) {
            Path p = Path.of(exe);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(EXECUTABLE_PROPERTY + "=" + exe + " is not an executable file.");
            }
            return p;
        }
        Path dir = Optional.ofNullable(System.getProperty(DIR_PROPERTY)).filter(s -> !s.isBlank()).map(Path::of)
                .or(AzuriteInstallation::walkUp)
                .orElseThrow(() -> new IllegalStateException("No pacs-storage-testkit/azurite/package.json found"
                        + " above " + Path.of("").toAbsolutePath() + "; set -D" + DIR_PROPERTY + "=<that directory>."));
        Path launcher = dir.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
        if (!Files.isRegularFile(launcher)) {
            throw new IllegalStateException("Azurite is not installed in " + dir + ". " + HOW_TO_INSTALL);
        }
        checkVersion(dir);
        return launcher;
    }

    private static Optional<Path> walkUp() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            for (Path candidate : new Path[] {d.resolve("pacs-storage-testkit").resolve("azurite"), d.resolve("azurite")}) {
                if (Files.isRegularFile(candidate.resolve("package.json"))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static void checkVersion(Path dir) {
        String pinned = find(PINNED, dir.resolve("package.json"));
        String installed = find(VERSION, dir.resolve("node_modules").resolve("azurite").resolve("package.json"));
        if (!pinned.equals(installed)) {
            throw new IllegalStateException("Azurite " + installed + " is installed in " + dir + " but package.json pins "
                    + pinned + ". " + HOW_TO_INSTALL);
        }
    }

    private static String find(Pattern pattern, Path file) {
        try {
            Matcher m = pattern.matcher(Files.readString(file));
            return m.find() ? m.group(1) : "(none)";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ". " + HOW_TO_INSTALL, e);
        }
    }
}
