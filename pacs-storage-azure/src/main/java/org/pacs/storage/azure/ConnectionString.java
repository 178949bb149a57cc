package org.pacs.storage.azure;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pacs.storage.StorageException;

/**
 * The parts of an Azure Storage connection string this backend uses. Parsed here rather than by the SDK so a
 * malformed string gets a message that names the broken part without echoing the key.
 *
 * @param accountName           AccountName, or devstoreaccount1 for UseDevelopmentStorage=true
 * @param accountKey            AccountKey (Base64), "" when a SAS is used
 * @param sharedAccessSignature SharedAccessSignature, "" when a key is used
 * @param blobEndpoint          BlobEndpoint, "" when derived
 * @param protocol              DefaultEndpointsProtocol, "" when absent
 * @param endpointSuffix        EndpointSuffix, "" when absent
 */
record ConnectionString(String accountName, String accountKey, String sharedAccessSignature, String blobEndpoint,
                        String protocol, String endpointSuffix) {

    static final String DEV_ACCOUNT = "devstoreaccount1";
    /** Azurite's and the old storage emulator's published key; not a secret. */
    static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    static final String DEV_ENDPOINT = "http://127.0.0.1:10000/" + DEV_ACCOUNT;

    private static final String FORMAT = "expected 'DefaultEndpointsProtocol=https;AccountName=<account>;"
            + "AccountKey=<key>;EndpointSuffix=core.windows.net' (portal: storage account > Access keys), or"
            + " 'UseDevelopmentStorage=true' for Azurite";

    static ConnectionString parse(String text) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw bad("the part '" + shorten(part) + "' has no 'Name=value' form");
            }
            parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        if ("true".equalsIgnoreCase(parts.get("usedevelopmentstorage"))) {
            return new ConnectionString(DEV_ACCOUNT, DEV_KEY, "", DEV_ENDPOINT, "http", "");
        }
        String account = parts.getOrDefault("accountname", "");
        String key = parts.getOrDefault("accountkey", "");
        String sas = parts.getOrDefault("sharedaccesssignature", "");
        String endpoint = parts.getOrDefault("blobendpoint", "");
        if (key.isEmpty() && sas.isEmpty()) {
            throw bad("it has neither AccountKey nor SharedAccessSignature");
        }
        if (!key.isEmpty()) {
            if (account.isEmpty()) {
                throw bad("it has an AccountKey but no AccountName");
            }
            try {
                Base64.getDecoder().decode(key);
            } catch (IllegalArgumentException e) {
                throw bad("the AccountKey of account '" + account + "' is not Base64; copy it again from the portal");
            }
        }
        if (account.isEmpty() && endpoint.isEmpty()) {
            throw bad("it has neither AccountName nor BlobEndpoint");
        }
        String protocol = parts.getOrDefault("defaultendpointsprotocol", "").toLowerCase(Locale.ROOT);
        if (!protocol.isEmpty() && !protocol.equals("http") && !protocol.equals("https")) {
            throw bad("DefaultEndpointsProtocol is '" + protocol + "' but must be http or https");
        }
        return new ConnectionString(account, key, sas, endpoint, protocol, parts.getOrDefault("endpointsuffix", ""));
    }

    /** The string with AccountKey and SharedAccessSignature values replaced, for logs and messages. */
    static String masked(String text) {
        return text == null ? "" : text.replaceAll("(?i)(AccountKey|SharedAccessSignature)=[^;]*", "$1=***");
    }

    private static StorageException bad(String what) {
        return StorageException.invalidInput("The Azure connection-string is malformed: " + what + "; " + FORMAT + ".");
    }

    private static String shorten(String part) {
        String p = part.trim();
        return p.length() > 20 ? p.substring(0, 20) + "..." : p;
    }

    @Override
    public String toString() {
        return "ConnectionString[account=" + accountName + ", blobEndpoint=" + blobEndpoint + "]";
    }
}
