package org.pacs.storage.dicomweb;

import org.pacs.storage.spool.CountingOutputStream;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.pacs.storage.security.User;

/**
 * One request and its response, as the DICOMweb code sees them: path segments under the base path, query
 * parameters, headers, a blocking body stream and a blocking output stream. Keeps Jetty's API in one place.
 */
final class Exchange {

    static final JsonFactory JSON = new JsonFactory();

    /** What a JSON body writer does. */
    interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    private final Request request;
    private final Response response;
    private final List<String> segments;
    private final String baseUrl;
    private Fields query;
    private OutputStream out;
    private CountingOutputStream sent;
    User user;
    /** The studies a request concerns, for the audit rows (one each); filled as soon as they are known. */
    final java.util.Set<String> studies = new java.util.LinkedHashSet<>();

    Exchange(Request request, Response response, List<String> segments, String basePath) {
        this.request = request;
        this.response = response;
        this.segments = segments;
        HttpURI uri = request.getHttpURI();
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme();
        String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
        int port = uri.getPort();
        String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        this.baseUrl = scheme + "://" + authority + (port > 0 ? ":" + port : "") + basePath;
    }

    /** Path segments under the base path, decoded; empty for the base itself. */
    static List<String> segments(String pathInContext, String basePath) {
        if (!(pathInContext.equals(basePath) || pathInContext.startsWith(basePath + "/"))) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : pathInContext.substring(basePath.length()).split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    String method() {
        return request.getMethod();
    }

    List<String> segments() {
        return segments;
    }

    String segment(int i) {
        return segments.get(i);
    }

    /** scheme://host:port/base, for RetrieveURL and BulkDataURI. */
    String baseUrl() {
        return baseUrl;
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    Fields query() {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query;
    }

    InputStream body() {
        return Content.Source.asInputStream(request);
    }

    void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    boolean committed() {
        return response.isCommitted();
    }

    /** Resets status and headers for an error reply; false once bytes have gone out. */
    boolean resetForError() {
        if (response.isCommitted() || sent != null && sent.count() > 0) {
            return false;
        }
        out = null; // whatever sits in the buffer is dropped: the error replaces it
        sent = null;
        response.reset();
        return true;
    }

    /** Starts the response; the stream is the body. Call once. */
    OutputStream start(int status, String contentType) {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put("Content-Type", contentType);
        }
        // Buffered, so a multipart body goes out in large writes and an error before the first 64 KiB can still
        // replace the reply.
        sent = new CountingOutputStream(Content.Sink.asOutputStream(response));
        out = new java.io.BufferedOutputStream(sent, 64 * 1024);
        return out;
    }

    /** Writes a JSON body; the response completes only with {@link #finish()} (after the audit row). */
    void json(int status, String contentType, JsonBody body) throws IOException {
        OutputStream o = start(status, contentType);
        try (JsonGenerator g = JSON.createGenerator(o).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            body.write(g);
        }
    }

    /** Plain JSON of maps, lists, strings, numbers, booleans and null (for error details). */
    static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }

    void empty(int status) {
        start(status, null);
    }

    /** Closes the body stream if one was started, completing the response. */
    void finish() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
