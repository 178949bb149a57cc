package org.pacs.storage.dicomweb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A media type with parameters, as in Content-Type and Accept (RFC 9110 §8.3.1): names lower-cased, quoted
 * parameter values unquoted. DICOMweb puts the meaning in parameters ({@code type}, {@code transfer-syntax},
 * {@code boundary}), so they are kept exactly.
 */
record MediaType(String type, String subtype, Map<String, String> parameters) {

    static final String DICOM = "application/dicom";
    static final String DICOM_JSON = "application/dicom+json";
    static final String OCTET_STREAM = "application/octet-stream";
    static final String MULTIPART_RELATED = "multipart/related";

    MediaType {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    String essence() {
        return type + "/" + subtype;
    }

    String parameter(String name) {
        return parameters.get(name);
    }

    boolean is(String essence) {
        return essence().equals(essence);
    }

    /** True when this media range (possibly with * wildcards) covers {@code essence}. */
    boolean covers(String essence) {
        int slash = essence.indexOf('/');
        String t = essence.substring(0, slash);
        String s = essence.substring(slash + 1);
        return (type.equals("*") || type.equals(t)) && (subtype.equals("*") || subtype.equals(s));
    }

    /** Quality value of an Accept entry; 1 when absent or unreadable. */
    double quality() {
        try {
            return parameters.containsKey("q") ? Double.parseDouble(parameters.get("q")) : 1.0;
        } catch (NumberFormatException e) {
            return 1.0;
        }
    }

    static MediaType parse(String text) {
        List<String> pieces = split(text, ';');
        String essence = pieces.get(0).trim().toLowerCase(Locale.ROOT);
        int slash = essence.indexOf('/');
        if (slash <= 0 || slash == essence.length() - 1) {
            throw new HttpError(400, "'" + clip(text) + "' is not a media type; write type/subtype, e.g. "
                    + DICOM);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < pieces.size(); i++) {
            String p = pieces.get(i).trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = p.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
            }
            params.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), value);
        }
        return new MediaType(essence.substring(0, slash), essence.substring(slash + 1), params);
    }

    /** The entries of an Accept header, best quality first; a missing header accepts everything. */
    static List<MediaType> parseAccept(String header) {
        List<MediaType> out = new ArrayList<>();
        if (header == null || header.isBlank()) {
            out.add(parse("*/*"));
            return out;
        }
        for (String entry : split(header, ',')) {
            if (!entry.isBlank()) {
                out.add(parse(entry));
            }
        }
        out.sort((a, b) -> Double.compare(b.quality(), a.quality()));
        return out;
    }

    /** Splits on {@code sep} outside double quotes. */
    private static List<String> split(String text, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == sep && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String clip(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(essence());
        parameters.forEach((k, v) -> sb.append("; ").append(k).append("=\"").append(v).append('"'));
        return sb.toString();
    }
}
