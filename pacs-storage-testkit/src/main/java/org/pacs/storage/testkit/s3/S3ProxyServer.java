package org.pacs.storage.testkit.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * S3Proxy ({@code org.gaul:s3proxy:jar:jar-with-dependencies}) over jclouds' filesystem-nio2 provider, with
 * AWS v2/v4 signature checking against fixed test keys, so wrong keys really get 403.
 * {@code s3proxy.ignore-unknown-headers} is on because the SDK's checksum headers otherwise make multipart
 * uploads fail with 501.
 */
public final class S3ProxyServer extends S3TestServer {

    public static final String ACCESS_KEY = "pacs-test-access";
    public static final String SECRET_KEY = "pacs-test-secret-0123456789";

    private final Path jar;

    private S3ProxyServer(Path dataDir, int port, Path jar) {
        super("s3proxy", dataDir, port);
        this.jar = jar;
    }

    public static S3ProxyServer start(Path dataDir) {
        S3ProxyServer s = new S3ProxyServer(dataDir, ServerProcess.freePort(), ServerJar.S3PROXY.resolve());
        s.writeProperties();
        s.launch();
        return s;
    }

    private Path properties() {
        return dataDir().resolve("s3proxy.conf");
    }

    private Path baseDir() {
        return dataDir().resolve("blobs");
    }

    private void writeProperties() {
        String conf = String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + baseDir(),
                "");
        try {
            Files.createDirectories(baseDir());
            Files.writeString(properties(), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> command() {
        return List.of(ServerProcess.javaExecutable(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "--properties", properties().toString());
    }

    /** With the filesystem provider a bucket is a directory under the base directory. */
    @Override
    public void createBucket(String bucket) {
        try {
            Files.createDirectories(baseDir().resolve(bucket));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create bucket directory for " + bucket, e);
        }
    }

    @Override
    public String accessKey() {
        return ACCESS_KEY;
    }

    @Override
    public String secretKey() {
        return SECRET_KEY;
    }
}
