package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.security.AuditWriter;
import org.pacs.storage.security.AccessControl;
import org.pacs.storage.security.AccessEvent;
import org.pacs.storage.security.ResourceType;
import org.pacs.storage.security.SecurityStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request: route, authenticate, check the role, run, audit, and turn any failure into a status with a
 * JSON message. Blocking on purpose (bodies stream into and out of the archive): Jetty runs each request on a
 * pool thread, and the connector's idle timeout bounds how long a slow client can hold one.
 */
final class DicomWebHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(DicomWebHandler.class);

    private final DicomWebConfig config;
    private final StorageBackend archive;
    private final AuditWriter auditWriter;
    private final Authenticator auth;
    private final Clock clock;
    private final StowService stow;
    private final QidoService qido;
    private final WadoService wado;

    DicomWebHandler(DicomWebConfig config, StorageBackend archive, SecurityStorage security,
                    MetadataSource metadata, FrameSource frames, Clock clock) {
        this.config = config;
        this.archive = archive;
        this.auditWriter = new AuditWriter(security);
        this.clock = clock;
        this.auth = new Authenticator(security, config.anonymous(), clock);
        this.stow = new StowService(archive);
        this.qido = new QidoService(archive);
        this.wado = new WadoService(archive, metadata, frames);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        List<String> segments = Exchange.segments(Request.getPathInContext(request), config.basePath());
        if (segments == null) {
            return false; // not ours: Jetty answers 404
        }
        Exchange ex = new Exchange(request, response, segments, config.basePath());
        Route route = null;
        String outcome;
        Throwable failure = null;
        HttpError error = null;
        try {
            Cors.apply(ex, config.corsOrigins());
            if (Cors.isPreflight(ex)) {
                ex.empty(204);
                outcome = "204";
            } else {
                route = Route.of(ex.method(), segments);
                if (route.study() != null) {
                    ex.studies.add(route.study());
                }
                if (route.kind().action != null) {
                    ex.user = auth.authenticate(ex.header("Authorization"), ex.remoteAddress());
                    if (!AccessControl.allows(ex.user, ResourceType.STUDY, route.kind().action)) {
                        throw new HttpError(403, "User " + ex.user.username() + " (roles " + ex.user.roles()
                                + ") may not " + route.kind().action + " studies; ask an administrator for a role"
                                + " that may.");
                    }
                }
                outcome = run(ex, route);
            }
        } catch (Throwable t) {
            failure = t;
            error = toHttpError(t);
            outcome = error.status() + " " + error.getMessage();
        }
        // The audit row is written before the reply completes, so no client sees an access the trail lacks.
        if (route != null && route.kind() != Route.Kind.CAPABILITIES) {
            audit(ex, route, outcome);
        }
        if (failure != null) {
            fail(ex, error, failure, callback);
            return true;
        }
        try {
            ex.finish();
            callback.succeeded();
        } catch (Throwable t) {
            fail(ex, toHttpError(t), t, callback);
        }
        return true;
    }

    private String run(Exchange ex, Route r) throws IOException {
        if (r.study() != null) {
            ex.studies.add(r.study());
        }
        switch (r.kind()) {
            case CAPABILITIES -> Capabilities.write(ex);
            case STORE -> stow.handle(ex, r.study());
            case SEARCH_STUDIES -> qido.search(ex, QueryLevel.STUDY, Map.of());
            case SEARCH_SERIES -> qido.search(ex, QueryLevel.SERIES, fixed(r));
            case SEARCH_INSTANCES -> qido.search(ex, QueryLevel.IMAGE, fixed(r));
            case RETRIEVE -> wado.retrieve(ex, wado.instances(r.study(), r.series(), r.instance()));
            case METADATA -> wado.metadata(ex, wado.refs(r.study(), r.series(), r.instance()));
            case FRAMES -> wado.frames(ex, one(r), r.extra());
            case BULKDATA -> wado.bulkData(ex, one(r), r.extra());
            case DELETE -> {
                List<StoredInstance> list = wado.instances(r.study(), r.series(), r.instance());
                for (StoredInstance s : list) {
                    archive.remove(s.sopInstanceUid());
                }
                LOG.info("{} deleted {} instance(s) of study {}", ex.user.username(), list.size(), r.study());
                ex.empty(204);
                return "204 deleted " + list.size();
            }
            default -> throw new IllegalStateException(r.kind().name());
        }
        return "200";
    }

    private StoredInstance one(Route r) {
        return wado.instances(r.study(), r.series(), r.instance()).get(0);
    }

    private static Map<Integer, String> fixed(Route r) {
        Map<Integer, String> keys = new java.util.LinkedHashMap<>();
        if (r.study() != null) {
            keys.put(Tag.StudyInstanceUID, r.study());
        }
        if (r.series() != null) {
            keys.put(Tag.SeriesInstanceUID, r.series());
        }
        return keys;
    }

    /** Sends the error if nothing went out yet, otherwise aborts the connection (a broken body, never a lie). */
    private void fail(Exchange ex, HttpError e, Throwable t, Callback callback) {
        try {
            if (!ex.resetForError()) {
                LOG.warn("{} {} failed after the reply had started; connection aborted: {}", ex.method(),
                        ex.segments(), t.toString());
                callback.failed(t);
                return;
            }
            Cors.apply(ex, config.corsOrigins());
            e.headers().forEach(ex::setHeader);
            ex.json(e.status(), "application/json", g -> {
                g.writeStartObject();
                g.writeNumberField("status", e.status());
                g.writeStringField("message", e.getMessage());
                for (Map.Entry<String, Object> d : e.details().entrySet()) {
                    g.writeFieldName(d.getKey());
                    Exchange.writeValue(g, d.getValue());
                }
                g.writeEndObject();
            });
            ex.finish();
            callback.succeeded();
        } catch (Throwable again) {
            callback.failed(again);
        }
    }

    private static HttpError toHttpError(Throwable t) {
        if (t instanceof HttpError h) {
            return h;
        }
        if (t instanceof MultipartReader.MultipartException m) {
            return new HttpError(400, "The request body is not readable: " + m.getMessage() + ".");
        }
        if (t instanceof StorageException s) {
            int status = switch (s.reason()) {
                case NOT_FOUND -> 404;
                case INVALID_INPUT -> 400;
                case ALREADY_EXISTS -> 409;
                case PERMISSION_DENIED -> 403;
                case UNAVAILABLE, ARCHIVED -> 503;
                case UNSUPPORTED -> 501;
                case OUT_OF_SPACE -> 507; // Insufficient Storage: the message says which tier and what to do
                case CORRUPT, INTERNAL -> 500;
            };
            if (status >= 500) {
                LOG.error("request failed: {}", s.toString(), s);
            }
            return status == 503
                    ? new HttpError(503, s.getMessage(), Map.of("Retry-After", "30"), Map.of())
                    : new HttpError(status, s.getMessage());
        }
        if (t instanceof IOException io) {
            return new HttpError(400, "The request could not be read or answered (" + io.getMessage()
                    + "); the client stopped sending or was too slow.");
        }
        LOG.error("unexpected failure", t);
        return new HttpError(500, "Internal error (" + t.getClass().getSimpleName() + "); the server log has the"
                + " details.");
    }

    private void audit(Exchange ex, Route route, String outcome) {
        String user = ex.user != null ? ex.user.username() : Authenticator.ANONYMOUS;
        String address = ex.remoteAddress();
        List<String> studies = ex.studies.isEmpty() ? List.of("") : List.copyOf(ex.studies);
        List<AccessEvent> rows = new java.util.ArrayList<>(studies.size());
        for (String study : studies) {
            rows.add(AccessEvent.of(clock.instant(), user, address, route.kind().name(), study, outcome));
        }
        auditWriter.write(rows);
    }

    /** The one authenticator (password cache, login throttling), shared with the viewer's files. */
    Authenticator authenticator() {
        return auth;
    }

    /** Writes the queued audit rows and stops the writer; the server calls it after the connector stopped. */
    void close() {
        auditWriter.close();
    }
}
