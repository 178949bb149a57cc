package org.pacs.storage.dicomweb;

import java.util.List;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.security.Action;

/**
 * Which resource a request addresses (PS3.18 §10 resource paths), parsed from the segments under the base
 * path. UIDs are validated here, so nothing path-like ("..", "/", "%2F") gets further.
 */
record Route(Kind kind, String study, String series, String instance, String extra) {

    enum Kind {
        CAPABILITIES(null), STORE(Action.WRITE), SEARCH_STUDIES(Action.READ), SEARCH_SERIES(Action.READ),
        SEARCH_INSTANCES(Action.READ), RETRIEVE(Action.READ), METADATA(Action.READ), FRAMES(Action.READ),
        BULKDATA(Action.READ), DELETE(Action.DELETE);

        /** The permission on studies this needs; null for what anyone may ask. */
        final Action action;

        Kind(Action action) {
            this.action = action;
        }
    }

    static Route of(String method, List<String> s) {
        int n = s.size();
        if (n == 0) {
            return method.equals("OPTIONS") ? new Route(Kind.CAPABILITIES, null, null, null, null)
                    : notAllowed(method, "the base path answers OPTIONS (capabilities)");
        }
        String top = s.get(0);
        if (top.equals("series") && n == 1) {
            return get(method, Kind.SEARCH_SERIES, null, null, null, null);
        }
        if (top.equals("instances") && n == 1) {
            return get(method, Kind.SEARCH_INSTANCES, null, null, null, null);
        }
        if (!top.equals("studies")) {
            throw notFound(s);
        }
        if (n == 1) {
            return method.equals("POST") ? new Route(Kind.STORE, null, null, null, null)
                    : get(method, Kind.SEARCH_STUDIES, null, null, null, null);
        }
        String study = uid(s.get(1), "Study Instance UID");
        if (n == 2) {
            return switch (method) {
                case "POST" -> new Route(Kind.STORE, study, null, null, null);
                case "DELETE" -> new Route(Kind.DELETE, study, null, null, null);
                default -> get(method, Kind.RETRIEVE, study, null, null, null);
            };
        }
        String third = s.get(2);
        if (n == 3 && third.equals("metadata")) {
            return get(method, Kind.METADATA, study, null, null, null);
        }
        if (n == 3 && third.equals("series")) {
            return get(method, Kind.SEARCH_SERIES, study, null, null, null);
        }
        if (n == 3 && third.equals("instances")) {
            return get(method, Kind.SEARCH_INSTANCES, study, null, null, null);
        }
        if (!third.equals("series")) {
            throw notFound(s);
        }
        String series = uid(s.get(3), "Series Instance UID");
        if (n == 4) {
            return method.equals("DELETE") ? new Route(Kind.DELETE, study, series, null, null)
                    : get(method, Kind.RETRIEVE, study, series, null, null);
        }
        if (n == 5 && s.get(4).equals("metadata")) {
            return get(method, Kind.METADATA, study, series, null, null);
        }
        if (n == 5 && s.get(4).equals("instances")) {
            return get(method, Kind.SEARCH_INSTANCES, study, series, null, null);
        }
        if (!s.get(4).equals("instances") || n < 6) {
            throw notFound(s);
        }
        String instance = uid(s.get(5), "SOP Instance UID");
        if (n == 6) {
            return method.equals("DELETE") ? new Route(Kind.DELETE, study, series, instance, null)
                    : get(method, Kind.RETRIEVE, study, series, instance, null);
        }
        if (n == 7 && s.get(6).equals("metadata")) {
            return get(method, Kind.METADATA, study, series, instance, null);
        }
        if (n == 8 && s.get(6).equals("frames")) {
            return get(method, Kind.FRAMES, study, series, instance, s.get(7));
        }
        if (n == 8 && s.get(6).equals("bulkdata")) {
            return get(method, Kind.BULKDATA, study, series, instance, s.get(7));
        }
        throw notFound(s);
    }

    private static Route get(String method, Kind kind, String study, String series, String instance, String extra) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return notAllowed(method, "this resource answers GET");
        }
        return new Route(kind, study, series, instance, extra);
    }

    private static Route notAllowed(String method, String what) {
        throw new HttpError(405, "Method " + clip(method) + " is not allowed here: " + what + ".");
    }

    private static HttpError notFound(List<String> s) {
        return new HttpError(404, "No DICOMweb resource at /" + clip(String.join("/", s)) + "; see PS3.18 §10 for"
                + " the paths (studies, series, instances, metadata, frames, bulkdata).");
    }

    private static String uid(String value, String what) {
        try {
            return SopInstanceUid.requireValidUid(value, what);
        } catch (StorageException e) {
            throw new HttpError(400, e.getMessage());
        }
    }

    private static String clip(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
