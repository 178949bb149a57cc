package org.pacs.storage.dicomweb;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises before a request reaches the handler (a malformed request line, an ambiguous path such
 * as {@code %2F} or {@code ..}, headers too large, a path outside the base) answered in the same JSON shape as
 * the handler's own errors: a status and a message, never an HTML page or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        int status = response.getStatus() > 0 ? response.getStatus() : 500;
        Object attr = request.getAttribute(ERROR_MESSAGE);
        String message = attr instanceof String s && !s.isBlank() ? s : HttpStatus.getMessage(status);
        if (status == 404) {
            message = "No such resource; DICOMweb lives under the base path (default /dicom-web).";
        } else if (status == 400) {
            message = "Bad request (" + message + "); paths must not contain encoded slashes, dots segments or"
                    + " other ambiguous parts.";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Exchange.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("status", status);
            g.writeStringField("message", message);
            g.writeEndObject();
        }
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
        return true;
    }
}
