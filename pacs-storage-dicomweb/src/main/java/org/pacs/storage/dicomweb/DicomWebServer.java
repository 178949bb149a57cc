package org.pacs.storage.dicomweb;

import java.time.Clock;
import java.util.Objects;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.security.SecurityStorage;

/**
 * The DICOMweb server: STOW-RS, QIDO-RS, WADO-RS, DELETE and capabilities under {@code basePath}, on Jetty.
 * <pre>{@code
 * try (DicomWebServer web = new DicomWebServer(config, archive, security)) {
 *     web.start();
 *     System.out.println("listening on " + web.port());
 * }
 * }</pre>
 * The archive and the security store stay the caller's to close. Metadata and frames are read through
 * {@link MetadataSource} and {@link FrameSource}; by default from the stored bytes, a catalog can supply its own.
 */
public final class DicomWebServer implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DicomWebServer.class);

    private final DicomWebConfig config;
    private final Server server;
    private final ServerConnector connector;
    private final DicomWebHandler handler;

    public DicomWebServer(DicomWebConfig config, StorageBackend archive, SecurityStorage security) {
        this(config, archive, security, null, null, Clock.systemUTC());
    }

    /**
     * @param metadata where /metadata reads headers; null reads them from the archive
     * @param frames   where /frames reads pixel data; null reads it from the archive
     * @param clock    for the password cache and login throttling, and audit timestamps
     */
    public DicomWebServer(DicomWebConfig config, StorageBackend archive, SecurityStorage security,
                          MetadataSource metadata, FrameSource frames, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(security, "security");
        ArchiveReader reader = new ArchiveReader(archive);
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("dicomweb");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Ambiguous paths ("%2F", "..", "%2E") are refused by Jetty before they reach the routes.
        http.setUriCompliance(UriCompliance.DEFAULT);
        if (config.tls() != null) {
            http.addCustomizer(new SecureRequestCustomizer());
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(config.tls().keystore().toString());
            ssl.setKeyStorePassword(config.tls().password());
            ssl.setKeyStoreType("PKCS12");
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(config.bind());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        server.addConnector(connector);
        // headers kept at ingest answer metadata without a tier and frames with ranged reads, where the archive has them
        StoredHeaderReader kept = archive instanceof org.pacs.storage.SupportsStoredHeaders s
                ? new StoredHeaderReader(s, reader) : null;
        handler = new DicomWebHandler(config, archive, security,
                metadata != null ? metadata : kept != null ? kept : reader,
                frames != null ? frames : kept != null ? kept : reader, clock);
        // /viewer (the OHIF viewer's files) first; DICOMweb answers the rest, as before
        server.setHandler(new org.eclipse.jetty.server.Handler.Sequence(
                ViewerHandler.context(config, handler.authenticator()), handler));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(5_000);
    }

    /** Binds the port and starts serving; UNAVAILABLE when the port is taken or TLS cannot be set up. */
    public DicomWebServer start() {
        if (config.tls() == null && !isLoopback(config.bind())) {
            LOG.warn("DICOMweb on {} without TLS: passwords and patient data cross the network in clear text;"
                    + " set dicomweb.tls or bind 127.0.0.1 behind a TLS proxy", config.bind());
        }
        try {
            server.start();
            return this;
        } catch (Exception e) {
            close();
            throw StorageException.unavailable("Cannot start the DICOMweb server on " + config.bind() + ":"
                    + config.port() + " (" + e.getMessage() + "); free the port or change dicomweb.port.", e);
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The port bound (the configured one, or the one picked for port 0); -1 before start. */
    public int port() {
        return connector.getLocalPort();
    }

    /** scheme://bind:port/base-path */
    public String baseUrl() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return (config.tls() != null ? "https" : "http") + "://" + host + ":" + port() + config.basePath();
    }

    public DicomWebConfig config() {
        return config;
    }

    /** Stops accepting, lets running requests finish for up to 5 s, then stops. Idempotent. */
    @Override
    public void close() {
        try {
            server.stop();
            handler.close();
        } catch (Exception e) {
            throw StorageException.internal("Stopping the DICOMweb server failed: " + e.getMessage(), e);
        }
    }
}
