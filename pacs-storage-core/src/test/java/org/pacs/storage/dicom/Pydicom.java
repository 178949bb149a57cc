package org.pacs.storage.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python 3 snippet with pydicom to learn what pydicom itself reads from a file, so tests compare with the
 * reference rather than with values copied from it. Debian's python3-pydicom lives beside /usr/bin/python3, which
 * is tried first (a python3 earlier on PATH, e.g. pyenv's, may lack it).
 */
final class Pydicom {

    private static final Optional<String> PYTHON = find();

    private Pydicom() {
    }

    static boolean available() {
        return PYTHON.isPresent();
    }

    /** Stdout lines of {@code python3 -c script args...}, decoded as UTF-8; fails when python exits non-zero. */
    static List<String> run(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.orElseThrow(), "-W", "ignore", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("python3 did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException("python3 with pydicom failed (exit " + p.exitValue() + ") for " + List.of(args));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static Optional<String> find() {
        for (String python : List.of("/usr/bin/python3", "python3")) {
            if (python.startsWith("/") && !Files.isExecutable(Path.of(python))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(python, "-c", "import pydicom")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(python);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not installed under this name: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
