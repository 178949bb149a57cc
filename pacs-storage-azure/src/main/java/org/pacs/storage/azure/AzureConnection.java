package org.pacs.storage.azure;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.util.HttpClientOptions;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.pacs.storage.StorageException;

/**
 * The SDK clients for one configured container, and the names error messages quote (account, endpoint,
 * container). Building one makes no network call.
 */
final class AzureConnection {

    private final String account;
    private final String endpoint;
    private final String container;
    private final BlobServiceClient service;
    private final BlobContainerClient containerClient;

    private AzureConnection(String account, String endpoint, String container, BlobServiceClient service) {
        this.account = account;
        this.endpoint = endpoint;
        this.container = container;
        this.service = service;
        this.containerClient = service.getBlobContainerClient(container);
    }

    static AzureConnection open(AzureStorageConfig config) {
        ConnectionString cs = ConnectionString.parse(config.connectionString());
        String endpoint = endpoint(config, cs);
        String account = cs.accountName().isEmpty() ? accountFromEndpoint(endpoint) : cs.accountName();
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .endpoint(endpoint)
                .clientOptions(new HttpClientOptions()
                        .setConnectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
                        .setResponseTimeout(Duration.ofMillis(config.requestTimeoutMs()))
                        .setReadTimeout(Duration.ofMillis(config.requestTimeoutMs()))
                        .setWriteTimeout(Duration.ofMillis(config.requestTimeoutMs())))
                .retryOptions(retryOptions(config));
        if (!cs.accountKey().isEmpty()) {
            builder.credential(new StorageSharedKeyCredential(account, cs.accountKey()));
        } else {
            builder.credential(new AzureSasCredential(cs.sharedAccessSignature()));
        }
        try {
            return new AzureConnection(account, endpoint, config.containerName(), builder.buildClient());
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidInput("Cannot build an Azure client for account '" + account
                    + "' at " + endpoint + ": " + e.getMessage() + ". Check connection-string and endpoint-url.");
        }
    }

    /**
     * Only the SDK retries: exponential from retry-delay-ms, each try bounded by request-timeout-ms. Its
     * default maximum back-off (120 s) is kept but never below the first delay.
     */
    static RequestRetryOptions retryOptions(AzureStorageConfig config) {
        Duration delay = Duration.ofMillis(Math.max(1, config.retryDelayMs()));
        Duration maxDelay = delay.compareTo(Duration.ofSeconds(120)) > 0 ? delay : Duration.ofSeconds(120);
        return new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, config.maxRetries() + 1,
                Duration.ofMillis(config.requestTimeoutMs()), delay, maxDelay, null);
    }

    /** endpoint-url, else the string's BlobEndpoint, else https://{account}.blob.{suffix}. */
    static String endpoint(AzureStorageConfig config, ConnectionString cs) {
        String endpoint;
        if (!config.endpointUrl().isEmpty()) {
            endpoint = config.endpointUrl();
        } else if (!cs.blobEndpoint().isEmpty()) {
            endpoint = cs.blobEndpoint();
        } else {
            String suffix = !config.endpointSuffix().isEmpty() ? config.endpointSuffix()
                    : !cs.endpointSuffix().isEmpty() ? cs.endpointSuffix() : "core.windows.net";
            String scheme = config.useHttps() ? "https" : cs.protocol().isEmpty() ? "http" : cs.protocol();
            endpoint = scheme + "://" + cs.accountName() + ".blob." + suffix;
        }
        endpoint = endpoint.replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidInput("Azure blob endpoint '" + endpoint + "' is not a URL; check"
                    + " endpoint-url, BlobEndpoint or endpoint-suffix.");
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw StorageException.invalidInput("Azure blob endpoint '" + endpoint + "' has no host; check"
                    + " endpoint-url, BlobEndpoint or endpoint-suffix.");
        }
        if (config.useHttps() && uri.getScheme().equalsIgnoreCase("http") && !isLoopback(uri.getHost())) {
            throw StorageException.invalidInput("Azure blob endpoint " + endpoint + " is plain http but use-https is"
                    + " true; use an https endpoint, or set use-https=false to send the account's data unencrypted.");
        }
        return endpoint;
    }

    /** Path-style endpoints (emulators, IP addresses) carry the account as the first path segment. */
    private static String accountFromEndpoint(String endpoint) {
        URI uri = URI.create(endpoint);
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
        if (!path.isEmpty()) {
            return path.split("/")[0];
        }
        String host = uri.getHost();
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }

    /** Loopback only: plain http to an emulator on this machine exposes nothing on a network. */
    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
    }

    String account() {
        return account;
    }

    String endpoint() {
        return endpoint;
    }

    String container() {
        return container;
    }

    BlobServiceClient service() {
        return service;
    }

    BlobContainerClient containerClient() {
        return containerClient;
    }

    /** "account 'a', container 'c'" or with ", blob 'b'", the way every error message locates itself. */
    String where(String blobName) {
        String s = "account '" + account + "' (" + endpoint + "), container '" + container + "'";
        return blobName == null ? s : s + ", blob '" + blobName + "'";
    }
}
