package org.pacs.storage.dicomweb;

import java.util.Map;

/**
 * A request that ends with an HTTP error status and a message for the person who sent it. Thrown anywhere in
 * request handling; the handler turns it into a JSON body, never a stack trace.
 *
 * @param headers extra response headers, e.g. Retry-After or WWW-Authenticate
 * @param details extra JSON fields of the body, e.g. the restore status of an archived instance
 */
final class HttpError extends RuntimeException {

    private final int status;
    private final Map<String, String> headers;
    private final Map<String, Object> details;

    HttpError(int status, String message) {
        this(status, message, Map.of(), Map.of());
    }

    HttpError(int status, String message, Map<String, String> headers, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.details = Map.copyOf(details);
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    Map<String, Object> details() {
        return details;
    }
}
