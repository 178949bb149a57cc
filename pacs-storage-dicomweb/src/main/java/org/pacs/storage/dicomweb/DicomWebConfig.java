package org.pacs.storage.dicomweb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.pacs.storage.StorageException;

/**
 * The {@code dicomweb} configuration section.
 *
 * @param port         TCP port, default 8080; 0 picks a free one (tests), see {@link DicomWebServer#port()}
 * @param bind         address to listen on, default 127.0.0.1
 * @param basePath     path prefix of every resource, default /dicom-web
 * @param tls          HTTPS keystore, or null for plain HTTP (then only sensible on 127.0.0.1)
 * @param anonymous    NONE (default): every request authenticates; VIEWER: requests without credentials read
 * @param corsOrigins  origins allowed by CORS (browser viewers on another origin); default none
 * @param idleTimeout  a connection that sends or takes nothing for this long is closed, default 30s: a slow or
 *                     stalled client cannot hold a thread
 * @param viewer       the OHIF viewer's built files, served at /viewer (pacs-storage-dicomweb/viewer/ohif after
 *                     npm ci there); null: /viewer answers 404 saying how to install it
 */
public record DicomWebConfig(int port, String bind, String basePath, Tls tls, Anonymous anonymous,
                             List<String> corsOrigins, Duration idleTimeout, Path viewer) {

    public enum Anonymous { NONE, VIEWER }

    /** @param keystore PKCS#12 file with the server's key and certificate */
    public record Tls(Path keystore, String password) {
        public Tls {
            Objects.requireNonNull(keystore, "tls keystore");
            password = password == null ? "" : password;
        }

        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", password=***]";
        }
    }

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final String DEFAULT_BASE_PATH = "/dicom-web";
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    public DicomWebConfig {
        if (port < 0 || port > 65535) {
            throw StorageException.invalidInput("dicomweb.port " + port + " is not a TCP port; use 1 to 65535.");
        }
        bind = bind == null || bind.isBlank() ? DEFAULT_BIND : bind.strip();
        basePath = normalise(basePath);
        anonymous = anonymous == null ? Anonymous.NONE : anonymous;
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw StorageException.invalidInput("dicomweb idle timeout must be positive, e.g. 30s.");
        }
        if (tls == null && !isLoopback(bind)) {
            // Basic authentication sends the password with every request: in clear, only this host may listen
            throw StorageException.invalidInput("dicomweb.bind " + bind + " without dicomweb.tls would send"
                    + " passwords and patient data in clear over the network; configure dicomweb.tls (a PKCS#12"
                    + " keystore), or bind 127.0.0.1 behind a TLS-terminating proxy.");
        }
        if (basePath.equals(ViewerHandler.PATH) || basePath.startsWith(ViewerHandler.PATH + "/")) {
            throw StorageException.invalidInput("dicomweb.base-path " + basePath + " is where the OHIF viewer is"
                    + " served; choose another, e.g. /dicom-web.");
        }
    }

    /**
     * 127.0.0.0/8, ::1 and {@code localhost}. Other host names count as network addresses: resolving them here would
     * ask DNS while the configuration loads, and could hang where no resolver answers.
     */
    static boolean isLoopback(String bind) {
        if (bind.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bind.matches("[0-9.]+") && !bind.contains(":")) {
            return false; // a host name
        }
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress(); // a literal: parsed, no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The defaults: port 8080 on 127.0.0.1 under /dicom-web, no TLS, no anonymous access, no CORS, no viewer. */
    public static DicomWebConfig defaults() {
        return new DicomWebConfig(DEFAULT_PORT, DEFAULT_BIND, DEFAULT_BASE_PATH, null, Anonymous.NONE, List.of(),
                DEFAULT_IDLE_TIMEOUT, null);
    }

    public DicomWebConfig withPort(int value) {
        return new DicomWebConfig(value, bind, basePath, tls, anonymous, corsOrigins, idleTimeout, viewer);
    }

    public DicomWebConfig withBind(String value) {
        return new DicomWebConfig(port, value, basePath, tls, anonymous, corsOrigins, idleTimeout, viewer);
    }

    public DicomWebConfig withBasePath(String value) {
        return new DicomWebConfig(port, bind, value, tls, anonymous, corsOrigins, idleTimeout, viewer);
    }

    public DicomWebConfig withTls(Tls value) {
        return new DicomWebConfig(port, bind, basePath, value, anonymous, corsOrigins, idleTimeout, viewer);
    }

    public DicomWebConfig withAnonymous(Anonymous value) {
        return new DicomWebConfig(port, bind, basePath, tls, value, corsOrigins, idleTimeout, viewer);
    }

    public DicomWebConfig withCorsOrigins(List<String> value) {
        return new DicomWebConfig(port, bind, basePath, tls, anonymous, value, idleTimeout, viewer);
    }

    public DicomWebConfig withIdleTimeout(Duration value) {
        return new DicomWebConfig(port, bind, basePath, tls, anonymous, corsOrigins, value, viewer);
    }

    public DicomWebConfig withViewer(Path value) {
        return new DicomWebConfig(port, bind, basePath, tls, anonymous, corsOrigins, idleTimeout, value);
    }

    private static String normalise(String path) {
        if (path == null || path.isBlank()) {
            return DEFAULT_BASE_PATH;
        }
        String p = path.strip();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.matches("/[A-Za-z0-9._~/-]*") || p.contains("//") || p.contains("/../") || p.endsWith("/..")) {
            throw StorageException.invalidInput("dicomweb.base-path '" + path + "' is not a plain URL path; use"
                    + " letters, digits and slashes, e.g. /dicom-web.");
        }
        return p;
    }
}
