package org.pacs.storage.testkit.s3;

import java.net.URI;
import java.nio.file.Path;

/**
 * A real S3-protocol server started on 127.0.0.1 as a separate process for tests. Usage:
 * <pre>{@code
 * try (S3TestServer s3 = S3MockServer.start(tempDir)) {
 *     s3.createBucket("warm");
 *     // point an S3 client at s3.endpoint() with path-style access, s3.accessKey(), s3.secretKey()
 * }
 * }</pre>
 * {@link #kill()} then {@link #restart()} brings the server back on the same port and data directory, which is
 * how tests look at what a crash left behind.
 */
public abstract class S3TestServer implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private final String name;
    private final Path dataDir;
    private final int port;
    private ServerProcess process;

    protected S3TestServer(String name, Path dataDir, int port) {
        this.name = name;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The command line that starts the server; called again by {@link #restart()}. */
    protected abstract java.util.List<String> command();

    /** Makes a bucket; idempotent. */
    public abstract void createBucket(String bucket);

    public abstract String accessKey();

    public abstract String secretKey();

    protected final synchronized void launch() {
        process = ServerProcess.start(name, command(), dataDir.resolve(name + ".log"), port);
    }

    public final String name() {
        return name;
    }

    /** Always 127.0.0.1: some of these servers bind every interface, clients must still use loopback. */
    public final URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public final int port() {
        return port;
    }

    public String region() {
        return REGION;
    }

    public final Path dataDir() {
        return dataDir;
    }

    public final synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the process with SIGKILL, as a crash would. */
    public final synchronized void kill() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** Starts the server again on the same port and data directory. */
    public final synchronized void restart() {
        kill();
        launch();
    }

    public final synchronized String logTail() {
        return process == null ? "" : process.logTail();
    }

    @Override
    public final void close() {
        kill();
    }

    @Override
    public String toString() {
        return name + "@" + endpoint();
    }
}
