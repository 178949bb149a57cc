package org.pacs.storage.dicomweb;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContentFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.pacs.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OHIF viewer at {@value #PATH}: the prebuilt files of {@code dicomweb.viewer} (installed by {@code npm ci}
 * in pacs-storage-dicomweb/viewer), with
 * <ul>
 *   <li>{@code app-config.js} generated ({@link ViewerAppConfig}) and OHIF's service worker left out (it loads
 *       Workbox from a CDN, which a hospital network may not reach, and would cache the app in the browser);</li>
 *   <li>the build's root-relative URLs moved under {@value #PATH} ({@link PublicPathRewrite});</li>
 *   <li>the single-page-app fallback: a page request ({@code Accept: text/html}) for a path that names no file
 *       gets index.html, so {@code /viewer/viewer?StudyInstanceUIDs=...} can be bookmarked and reloaded; other
 *       requests for a missing file get 404, not HTML where a script or WASM was expected;</li>
 *   <li>every other file served by Jetty's {@link ResourceHandler} (content types, ETag, conditional GET,
 *       ranges), streamed from disk rather than cached in the heap.</li>
 * </ul>
 * The files hold no patient data, but they are behind the same authentication as DICOMweb (unless
 * {@code anonymous: viewer}): the browser then asks for the password when the page loads and sends it with every
 * later same-origin request, including the viewer's QIDO and WADO calls; and nothing of the server is open to
 * an unauthenticated caller that the configuration did not open, but for the web-app manifest, which browsers
 * never send credentials for. No audit row: no patient data is touched.
 */
final class ViewerHandler extends Handler.Wrapper {

    static final String PATH = "/viewer";
    static final String INSTALL_HINT = "install it with `npm ci` in pacs-storage-dicomweb/viewer and set"
            + " dicomweb.viewer to that folder's ohif/ directory, then restart";

    private static final Logger LOG = LoggerFactory.getLogger(ViewerHandler.class);
    private static final String NO_SERVICE_WORKER = "// pacs-storage: OHIF's service worker is not installed"
            + " (it loads Workbox from a CDN and caches the app in the browser).\n";

    private final Path dir;
    private final Authenticator auth;
    private final PublicPathRewrite rewrite = new PublicPathRewrite(PATH + "/");
    private final byte[] appConfig;

    private ViewerHandler(Path dir, Authenticator auth, String basePath) {
        this.dir = dir;
        this.auth = auth;
        this.appConfig = ViewerAppConfig.script(PATH, basePath).getBytes(StandardCharsets.UTF_8);
        if (dir != null) {
            setHandler(new StreamingResourceHandler());
        }
    }

    /** The handler for {@value #PATH} and everything under it; it leaves all other paths alone. */
    static ContextHandler context(DicomWebConfig config, Authenticator auth) {
        Path dir = config.viewer() == null ? null : config.viewer().toAbsolutePath().normalize();
        if (dir != null && !Files.isDirectory(dir)) {
            LOG.warn("dicomweb.viewer {} is not a directory: /viewer answers 404 until the viewer is installed;"
                    + " {}", dir, INSTALL_HINT);
            dir = null;
        }
        ContextHandler context = new ContextHandler(PATH);
        if (dir != null) {
            context.setBaseResourceAsPath(dir);
        }
        context.setHandler(new ViewerHandler(dir, auth, config.basePath()));
        return context;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING; // files are streamed with blocking writes
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            return error(response, callback, new HttpError(405, "The viewer's files can only be read (GET).",
                    Map.of("Allow", "GET, HEAD"), Map.of()));
        }
        String path = Request.getPathInContext(request);
        try {
            // Browsers fetch the web-app manifest without credentials (W3C Web App Manifest: credentials mode
            // "omit"), so it alone is open: it names the app and its icons, nothing of the archive.
            if (!"/manifest.json".equals(path)) {
                auth.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION), Request.getRemoteAddr(request));
            }
        } catch (HttpError e) {
            return error(response, callback, e);
        } catch (StorageException e) {
            return error(response, callback, new HttpError(503, "The user database cannot be read ("
                    + e.getMessage() + "); try again shortly.", Map.of("Retry-After", "30"), Map.of()));
        }
        Path index = dir == null ? null : dir.resolve("index.html");
        if (index == null || !Files.isRegularFile(index)) {
            return error(response, callback, new HttpError(404, "The OHIF viewer is not installed"
                    + (dir == null ? " (dicomweb.viewer is not set)" : " in " + dir) + "; " + INSTALL_HINT + "."));
        }
        switch (path) {
            case "/app-config.js" -> {
                return generated(request, response, callback, appConfig);
            }
            case "/init-service-worker.js", "/sw.js" -> {
                return generated(request, response, callback, NO_SERVICE_WORKER.getBytes(StandardCharsets.UTF_8));
            }
            default -> {
                // handled below
            }
        }
        Path file = "/".equals(path) || "/index.html".equals(path) ? index : file(path);
        if (file == null) {
            String accept = request.getHeaders().get(HttpHeader.ACCEPT);
            if (accept == null || !accept.contains("text/html")) {
                return error(response, callback, new HttpError(404, "The viewer has no file " + PATH + path
                        + "; its pages are under " + PATH + "/ (e.g. " + PATH + "/viewer?StudyInstanceUIDs=...)."));
            }
            file = index;
        }
        PublicPathRewrite.Rule rule = rewrite.ruleFor(file.getFileName().toString());
        if (rule != null) {
            PublicPathRewrite.Scan scan = rewrite.scan(file, rule);
            if (scan.offsets().length > 0) {
                return rewritten(request, response, callback, file, rule, scan);
            }
        }
        return super.handle(request, response, callback);
    }

    /** The regular file a path names inside the viewer directory, or null (symbolic links are not followed). */
    private Path file(String path) {
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        Path file = dir.resolve(path.substring(1)).normalize();
        return file.startsWith(dir) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? file : null;
    }

    private boolean rewritten(Request request, Response response, Callback callback, Path file,
                              PublicPathRewrite.Rule rule, PublicPathRewrite.Scan scan) {
        String etag = "W/\"" + Long.toHexString(scan.size()) + "-" + Long.toHexString(scan.modified().toMillis())
                + "-" + Integer.toHexString(PATH.hashCode()) + "\"";
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(request, file.getFileName().toString()));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, scan.rewrittenLength(rule));
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            PublicPathRewrite.write(file, rule, scan, out);
        } catch (IOException e) {
            // headers are out: a broken body is all that can be said (the browser reloads the file)
            LOG.debug("sending {} failed: {}", file, e.toString());
            callback.failed(e);
            return true;
        }
        callback.succeeded();
        return true;
    }

    private static boolean generated(Request request, Response response, Callback callback, byte[] body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/javascript;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? ByteBuffer.allocate(0)
                : ByteBuffer.wrap(body), callback);
        return true;
    }

    private static String contentType(Request request, String name) {
        MimeTypes types = request.getContext().getMimeTypes();
        String type = types == null ? null : types.getMimeByExtension(name);
        if (type == null) {
            return "application/octet-stream";
        }
        return type.startsWith("text/") || type.equals("application/json") ? type + ";charset=utf-8" : type;
    }

    /** Answers in the JSON shape of every other error of this server. */
    private static boolean error(Response response, Callback callback, HttpError e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Exchange.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("status", e.status());
            g.writeStringField("message", e.getMessage());
            g.writeEndObject();
        }
        response.setStatus(e.status());
        e.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
        return true;
    }

    /**
     * Jetty's ResourceHandler without its content cache: by default it keeps up to 256 MB of served files in
     * memory, and the viewer alone is 200 MB; the files stream from disk instead.
     */
    private static final class StreamingResourceHandler extends ResourceHandler {
        StreamingResourceHandler() {
            setDirAllowed(false);
            setEtags(true);
            setCacheControl("no-cache");
            setWelcomeFiles(java.util.List.of());
            setUseFileMapping(false);
        }

        @Override
        protected HttpContent.Factory newHttpContentFactory(ByteBufferPool.Sized pool) {
            return new ResourceHttpContentFactory(getBaseResource(), getMimeTypes(), pool);
        }
    }
}
