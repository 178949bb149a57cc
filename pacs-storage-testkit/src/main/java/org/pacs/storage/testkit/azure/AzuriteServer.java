package org.pacs.storage.testkit.azure;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Azurite blob service on 127.0.0.1, one per test class: {@code try (var azurite = AzuriteServer.start())}
 * or start in {@code @BeforeAll} and close in {@code @AfterAll}. Data lives in a fresh temp directory that
 * {@link #close()} deletes.
 * <p>Azurite comes from npm (pinned in {@code pacs-storage-testkit/azurite/package.json}, installed by the
 * testkit build). It is started with port 0 so the OS hands out a free port with no race, and the port is read
 * from Azurite's own "listens on" line. {@code --skipApiVersionCheck} is needed because the Java SDK speaks a
 * newer service version than the emulator knows; {@code --disableTelemetry} because the emulator otherwise
 * phones home, and tests must only talk to 127.0.0.1.
 */
public final class AzuriteServer implements AutoCloseable {

    public static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's published well-known development key; not a secret. */
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Pattern LISTENING = Pattern.compile("listens on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path location;
    private final boolean ownsLocation;
    private final Path log;
    private final int port;

    private AzuriteServer(Process process, Path location, boolean ownsLocation, Path log, int port) {
        this.process = process;
        this.location = location;
        this.ownsLocation = ownsLocation;
        this.log = log;
        this.port = port;
    }

    /** Starts a fresh Azurite on an empty temp directory and returns once it answers HTTP. */
    public static AzuriteServer start() {
        try {
            return start(Files.createTempDirectory("azurite-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temp directory for Azurite", e);
        }
    }

    /**
     * Starts Azurite on {@code location}, keeping what an earlier instance stored there (e.g. to look at the
     * container after a {@link #kill()}); {@link #close()} leaves the directory alone.
     */
    public static AzuriteServer startAt(Path location) {
        return start(location, false);
    }

    private static AzuriteServer start(Path location, boolean ownsLocation) {
        Path executable = AzuriteInstallation.locate();
        Path data = location.resolve("data");
        Path log = location.resolve("azurite-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--blobHost", "127.0.0.1", "--blobPort", "0",
                "--location", data.toString(),
                "--loose", "--skipApiVersionCheck", "--disableTelemetry", "--silent"));
        Process process;
        try {
            Files.createDirectories(data);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            if (ownsLocation) {
                deleteTree(location);
            }
            throw new UncheckedIOException("Cannot start Azurite (" + executable
                    + "); is Node.js 20+ on the PATH?", e);
        }
        AtomicInteger port = new AtomicInteger();
        try {
            await("Azurite to print its port (log: " + log + ")")
                    .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Azurite exited with " + process.exitValue()
                                    + ":\n" + readLog(log));
                        }
                        Matcher m = LISTENING.matcher(readLog(log));
                        if (m.find()) {
                            port.set(Integer.parseInt(m.group(1)));
                            return true;
                        }
                        return false;
                    });
            await("Azurite to accept connections on port " + port.get())
                    .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> accepts(port.get()));
        } catch (RuntimeException e) {
            process.destroyForcibly();
            if (ownsLocation) {
                deleteTree(location);
            }
            throw e;
        }
        return new AzuriteServer(process, location, ownsLocation, log, port.get());
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT/devstoreaccount1}, the account's blob endpoint. */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** The well-known development-storage connection string pointing at this instance. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** Where Azurite keeps its data and logs. */
    public Path location() {
        return location;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the emulator at once (SIGKILL), e.g. to cut an upload off in the middle. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Azurite (pid " + process.pid() + ") did not die within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What Azurite printed so far; for assertion messages. */
    public String log() {
        return readLog(log);
    }

    @Override
    public void close() {
        kill();
        if (ownsLocation) {
            deleteTree(location);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Leftovers in the temp directory are harmless; the test outcome must not depend on them.
        }
    }
}
