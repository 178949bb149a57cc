package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real shaded jar as a separate process ({@code java -jar}), the way a user or a script does, in a
 * working directory of the test's choosing so the embedded default archive lands there.
 */
final class Cli {

    static final Path JAR = Path.of(System.getProperty("pacs.cli.jar", "target/pacs-storage.jar"));
    private static final long TIMEOUT_SECONDS = 120;

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));

    Cli(Path workDir) {
        this.workDir = workDir;
        assertThat(JAR).as("the shaded jar (built in the package phase)").exists();
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Replaces the heap limit, keeping the quick-start JIT setting. */
    Cli jvm(String... options) {
        jvmOptions.removeIf(o -> o.startsWith("-Xmx"));
        jvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    Path dir() {
        return workDir;
    }

    /**
     * Writes a pacs-storage.yaml in the work directory for a SQLite catalog and one file hot tier under
     * {@code workDir/pacs-archive}, with absolute paths so a test can open the same archive in its own JVM; returns
     * that archive directory.
     */
    Path absoluteFileArchive() throws java.io.IOException {
        Path archive = workDir.resolve("pacs-archive").toAbsolutePath();
        java.nio.file.Files.writeString(workDir.resolve("pacs-storage.yaml"), """
                catalog: jdbc:sqlite:%1$s/catalog.db
                tiers:
                  hot:
                    type: file
                    root: %1$s/hot
                """.formatted(archive));
        return archive;
    }

    record Result(int exit, String out, String err, byte[] stdoutBytes) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    Result runWithInput(String stdin, String... args) {
        try {
            Path outFile = Files.createTempFile(workDir, ".stdout-", ".txt");
            Path errFile = Files.createTempFile(workDir, ".stderr-", ".txt");
            ProcessBuilder pb = builder(args).redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("pacs-storage " + String.join(" ", args) + " did not finish in "
                        + TIMEOUT_SECONDS + " s; stderr so far: " + Files.readString(errFile));
            }
            byte[] out = Files.readAllBytes(outFile);
            String err = Files.readString(errFile);
            Files.delete(outFile);
            Files.delete(errFile);
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err, out);
        } catch (IOException e) {
            throw new AssertionError("could not run the jar: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts the command without waiting, for long-running ones such as serve; output goes to the files. */
    Process start(Path stdout, Path stderr, String... args) throws IOException {
        return builder(args).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    private ProcessBuilder builder(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(JAR.toAbsolutePath().toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("PACS_STORAGE_CONFIG");
        pb.environment().putAll(env);
        return pb;
    }

    /** A value from the tiny JSON the command prints: enough for tests without a JSON library. */
    static String jsonField(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\"" + field + "\": (\"((?:[^\"\\\\]|\\\\.)*)\"|[^,\\n}\\]]+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no field " + field + " in " + json);
        }
        return m.group(2) != null ? m.group(2) : m.group(1).trim();
    }

    static List<String> jsonFields(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\": \"([^\"]*)\"").matcher(json);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
