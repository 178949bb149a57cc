package org.pacs.storage.testkit.s3;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server running as a child process, its output in a log file. Readiness is "answers HTTP on its port"
 * (any status, S3 servers answer 403 to an anonymous request), polled with Awaitility; a shutdown hook kills
 * the process should the test JVM exit without closing it.
 */
final class ServerProcess implements AutoCloseable {

    /** Startup of a Spring Boot jar on two busy cores can take half a minute; give it room. */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(
            Long.getLong("pacs.server.startup.seconds", 180));

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread hook;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.hook = new Thread(process::destroyForcibly, name + "-killer");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static ServerProcess start(String name, List<String> command, Path log, int httpPort) {
        Process p;
        try {
            Files.createDirectories(log.getParent());
            p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
        }
        ServerProcess sp = new ServerProcess(name, p, log);
        try {
            await(name + " answering HTTP on 127.0.0.1:" + httpPort).atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException(name + " exited with " + p.exitValue()
                                    + " during startup; log " + log + ":\n" + sp.logTail());
                        }
                        return answersHttp(httpPort);
                    });
        } catch (RuntimeException e) {
            sp.close();
            throw e;
        }
        return sp;
    }

    static boolean answersHttp(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL()
                    .openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() > 0;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        return org.pacs.storage.testkit.FreePorts.find();
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGKILL: the server gets no chance to clean up, like a crash. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; nothing left to do
        }
    }
}
