package org.pacs.storage.testkit.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Adobe S3Mock ({@code com.adobe.testing:s3mock:jar:exec}), a Spring Boot server. It ignores credentials, so
 * any keys work; objects live under {@code dataDir/store} and survive a kill for {@link #restart()}.
 */
public final class S3MockServer extends S3TestServer {

    private final int httpsPort;
    private final Path jar;

    private S3MockServer(Path dataDir, int port, int httpsPort, Path jar) {
        super("s3mock", dataDir, port);
        this.httpsPort = httpsPort;
        this.jar = jar;
    }

    /** Starts S3Mock with its data under {@code dataDir} (created if needed). */
    public static S3MockServer start(Path dataDir) {
        try {
            Files.createDirectories(dataDir.resolve("store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        S3MockServer s = new S3MockServer(dataDir, ServerProcess.freePort(), ServerProcess.freePort(),
                ServerJar.S3MOCK.resolve());
        s.launch();
        return s;
    }

    @Override
    protected List<String> command() {
        return List.of(ServerProcess.javaExecutable(), "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + httpsPort,
                "--com.adobe.testing.s3mock.httpPort=" + port(),
                "--com.adobe.testing.s3mock.store.root=" + dataDir().resolve("store"),
                "--com.adobe.testing.s3mock.store.retainFilesOnExit=true",
                "--logging.level.root=WARN");
    }

    @Override
    public void createBucket(String bucket) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/" + bucket).toURL().openConnection();
            c.setRequestMethod("PUT");
            c.setConnectTimeout(5000);
            c.setReadTimeout(30000);
            int code = c.getResponseCode();
            c.disconnect();
            // 409: BucketAlreadyOwnedByYou, fine for an idempotent create
            if (code != 200 && code != 409) {
                throw new IllegalStateException("S3Mock refused to create bucket " + bucket + ": HTTP " + code);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create bucket " + bucket + " on " + this, e);
        }
    }

    @Override
    public String accessKey() {
        return "s3mock-access-key";
    }

    @Override
    public String secretKey() {
        return "s3mock-secret-key";
    }
}
