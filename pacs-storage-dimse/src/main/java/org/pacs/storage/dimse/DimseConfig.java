package org.pacs.storage.dimse;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.pacs.storage.StorageException;

/**
 * The {@code dimse:} section (issue 16). Keys: ae-title, port, bind, max-pdu-length, allowed-calling-ae-titles,
 * destinations, require-user-identity, plus the upper-layer timers and max-associations.
 *
 * @param aeTitle                our AE title; an A-ASSOCIATE-RQ calling another is rejected (default PACS)
 * @param port                   TCP port (default 11112; 0 picks a free one, for tests)
 * @param bind                   listen address (default 127.0.0.1: nothing is exposed unless asked)
 * @param maxPduLength           largest P-DATA PDU we accept, announced in the A-ASSOCIATE-AC (default 116794)
 * @param allowedCallingAeTitles empty: any calling AE may associate; else only these
 * @param destinations           C-MOVE destinations by AE title
 * @param artimTimeout           PS3.8 ARTIM: how long a fresh connection may take to send its A-ASSOCIATE-RQ, and
 *                               how long we wait for the peer to close after a release or reject (default 30 s)
 * @param idleTimeout            an established association silent this long is aborted (default 5 min)
 * @param maxAssociations        concurrent associations; more are rejected as "local limit exceeded" (default 64)
 * @param requireUserIdentity    when true an association must carry a user identity (PS3.7 D.3.3.7: a user name,
 *                               or a user name and password) that the security database accepts, else it is
 *                               rejected; default false, since modalities rarely send one. An identity that is
 *                               sent is verified either way.
 */
public record DimseConfig(String aeTitle, int port, String bind, int maxPduLength, List<String> allowedCallingAeTitles,
                          Map<String, Destination> destinations, Duration artimTimeout, Duration idleTimeout,
                          int maxAssociations, boolean requireUserIdentity) {

    public static final int DEFAULT_PORT = 11112;
    public static final int DEFAULT_MAX_PDU_LENGTH = 116794;
    /** PS3.8 allows any length, but a buffer of one PDU is held per association, so the setting is bounded. */
    public static final int LARGEST_MAX_PDU_LENGTH = 4 * 1024 * 1024;

    /** A C-MOVE destination; the map key is its AE title. */
    public record Destination(String host, int port) {
        public Destination {
            if (host == null || host.isBlank()) {
                throw StorageException.invalidInput("A DIMSE destination needs a host; set dimse.destinations.NAME.host.");
            }
            if (port < 1 || port > 65535) {
                throw StorageException.invalidInput("DIMSE destination port " + port + " is out of range; use 1-65535.");
            }
        }
    }

    public DimseConfig {
        aeTitle = aeTitle == null ? "PACS" : aeTitle.trim();
        requireAeTitle(aeTitle, "dimse.ae-title");
        if (port < 0 || port > 65535) {
            throw StorageException.invalidInput("dimse.port " + port + " is out of range; use 1-65535.");
        }
        bind = bind == null || bind.isBlank() ? "127.0.0.1" : bind.trim();
        if (maxPduLength < 4096 || maxPduLength > LARGEST_MAX_PDU_LENGTH) {
            throw StorageException.invalidInput("dimse.max-pdu-length " + maxPduLength + " is out of range; use 4096-"
                    + LARGEST_MAX_PDU_LENGTH + " (DICOM's usual value is 16384 or 116794).");
        }
        allowedCallingAeTitles = allowedCallingAeTitles == null ? List.of()
                : allowedCallingAeTitles.stream().map(String::trim).toList();
        for (String ae : allowedCallingAeTitles) {
            requireAeTitle(ae, "dimse.allowed-calling-ae-titles");
        }
        Map<String, Destination> d = new LinkedHashMap<>();
        if (destinations != null) {
            destinations.forEach((k, v) -> {
                requireAeTitle(k.trim(), "dimse.destinations");
                d.put(k.trim(), Objects.requireNonNull(v, "destination " + k));
            });
        }
        destinations = Map.copyOf(d);
        artimTimeout = requirePositive(artimTimeout == null ? Duration.ofSeconds(30) : artimTimeout, "artim-timeout");
        idleTimeout = requirePositive(idleTimeout == null ? Duration.ofMinutes(5) : idleTimeout, "idle-timeout");
        if (maxAssociations < 1) {
            throw StorageException.invalidInput("dimse.max-associations must be at least 1.");
        }
    }

    /** The defaults: PACS on 127.0.0.1:11112. */
    public static DimseConfig defaults() {
        return new DimseConfig("PACS", DEFAULT_PORT, "127.0.0.1", DEFAULT_MAX_PDU_LENGTH, List.of(), Map.of(),
                null, null, 64, false);
    }

    public DimseConfig withAeTitle(String v) {
        return new DimseConfig(v, port, bind, maxPduLength, allowedCallingAeTitles, destinations, artimTimeout,
                idleTimeout, maxAssociations, requireUserIdentity);
    }

    public DimseConfig withPort(int v) {
        return new DimseConfig(aeTitle, v, bind, maxPduLength, allowedCallingAeTitles, destinations, artimTimeout,
                idleTimeout, maxAssociations, requireUserIdentity);
    }

    public DimseConfig withBind(String v) {
        return new DimseConfig(aeTitle, port, v, maxPduLength, allowedCallingAeTitles, destinations, artimTimeout,
                idleTimeout, maxAssociations, requireUserIdentity);
    }

    public DimseConfig withMaxPduLength(int v) {
        return new DimseConfig(aeTitle, port, bind, v, allowedCallingAeTitles, destinations, artimTimeout,
                idleTimeout, maxAssociations, requireUserIdentity);
    }

    public DimseConfig withAllowedCallingAeTitles(List<String> v) {
        return new DimseConfig(aeTitle, port, bind, maxPduLength, v, destinations, artimTimeout, idleTimeout,
                maxAssociations, requireUserIdentity);
    }

    public DimseConfig withDestinations(Map<String, Destination> v) {
        return new DimseConfig(aeTitle, port, bind, maxPduLength, allowedCallingAeTitles, v, artimTimeout,
                idleTimeout, maxAssociations, requireUserIdentity);
    }

    public DimseConfig withArtimTimeout(Duration v) {
        return new DimseConfig(aeTitle, port, bind, maxPduLength, allowedCallingAeTitles, destinations, v,
                idleTimeout, maxAssociations, requireUserIdentity);
    }

    public DimseConfig withIdleTimeout(Duration v) {
        return new DimseConfig(aeTitle, port, bind, maxPduLength, allowedCallingAeTitles, destinations, artimTimeout,
                v, maxAssociations, requireUserIdentity);
    }

    public DimseConfig withMaxAssociations(int v) {
        return new DimseConfig(aeTitle, port, bind, maxPduLength, allowedCallingAeTitles, destinations, artimTimeout,
                idleTimeout, v, requireUserIdentity);
    }

    public DimseConfig withRequireUserIdentity(boolean v) {
        return new DimseConfig(aeTitle, port, bind, maxPduLength, allowedCallingAeTitles, destinations, artimTimeout,
                idleTimeout, maxAssociations, v);
    }

    /** PS3.5 AE: 1-16 characters of the default repertoire without backslash or control characters. */
    static void requireAeTitle(String ae, String key) {
        if (ae.isEmpty() || ae.length() > 16 || !ae.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '\\')) {
            throw StorageException.invalidInput(key + " '" + ae.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a valid AE title; use 1-16 printable ASCII characters without a backslash.");
        }
    }

    private static Duration requirePositive(Duration d, String key) {
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw StorageException.invalidInput("dimse." + key + " must be positive, e.g. 30s.");
        }
        return d;
    }
}
