package org.pacs.storage.testkit.s3;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a server jar that Maven fetched: first the system property the module's surefire configuration sets
 * (pacs-storage-s3 copies the jars into its target/), else the artifact in the local Maven repository, so
 * another module can reuse a fixture as long as some build on this machine fetched the jar once.
 */
public record ServerJar(String systemProperty, String groupId, String artifactId, String version,
                        String classifier) {

    public static final ServerJar S3MOCK = new ServerJar("pacs.s3mock.jar", "com.adobe.testing", "s3mock",
            System.getProperty("pacs.s3mock.version", "4.12.4"), "exec");
    public static final ServerJar S3PROXY = new ServerJar("pacs.s3proxy.jar", "org.gaul", "s3proxy",
            System.getProperty("pacs.s3proxy.version", "4.1.0"), "jar-with-dependencies");

    public Path resolve() {
        String configured = System.getProperty(systemProperty);
        if (configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        Path local = localRepository().resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + "-" + classifier + ".jar");
        if (Files.isRegularFile(local)) {
            return local;
        }
        throw new IllegalStateException("Server jar " + coordinates() + " not found (system property "
                + systemProperty + "=" + configured + ", local repository " + local + "). Fetch it with: mvn -pl "
                + "pacs-storage-s3 -am generate-test-resources, or mvn dependency:get -Dartifact=" + coordinates());
    }

    public String coordinates() {
        return groupId + ":" + artifactId + ":" + version + ":jar:" + classifier;
    }

    private static Path localRepository() {
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            return Path.of(repo);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
