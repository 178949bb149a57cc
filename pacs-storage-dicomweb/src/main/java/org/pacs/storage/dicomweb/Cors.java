package org.pacs.storage.dicomweb;

import java.util.List;

/**
 * CORS for browser viewers served from another origin: only the configured origins get the headers (none by
 * default), credentials included, so patient data is not readable by an arbitrary page.
 */
final class Cors {

    private Cors() {
    }

    static void apply(Exchange ex, List<String> origins) {
        String origin = ex.header("Origin");
        if (origin == null || origins.isEmpty() || !(origins.contains(origin) || origins.contains("*"))) {
            return;
        }
        ex.setHeader("Access-Control-Allow-Origin", origin);
        ex.setHeader("Vary", "Origin");
        ex.setHeader("Access-Control-Allow-Credentials", "true");
        ex.setHeader("Access-Control-Expose-Headers", "Warning, Retry-After, Content-Location, WWW-Authenticate");
        if (isPreflight(ex)) {
            ex.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, DELETE, OPTIONS");
            ex.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept");
            ex.setHeader("Access-Control-Max-Age", "600");
        }
    }

    static boolean isPreflight(Exchange ex) {
        return ex.method().equals("OPTIONS") && ex.header("Access-Control-Request-Method") != null;
    }
}
