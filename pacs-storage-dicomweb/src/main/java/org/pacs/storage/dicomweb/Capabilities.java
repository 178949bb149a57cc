package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Retrieve Capabilities transaction (PS3.18 §8.9, §10.8): OPTIONS on the base path describes the resources
 * and methods in WADL (the standard's default), or JSON when asked for.
 */
final class Capabilities {

    private record Resource(String path, String methods) {
    }

    private static final Resource[] RESOURCES = {
        new Resource("studies", "GET POST"),
        new Resource("studies/{study}", "GET POST DELETE"),
        new Resource("studies/{study}/metadata", "GET"),
        new Resource("studies/{study}/series", "GET"),
        new Resource("studies/{study}/instances", "GET"),
        new Resource("studies/{study}/series/{series}", "GET DELETE"),
        new Resource("studies/{study}/series/{series}/metadata", "GET"),
        new Resource("studies/{study}/series/{series}/instances", "GET"),
        new Resource("studies/{study}/series/{series}/instances/{instance}", "GET DELETE"),
        new Resource("studies/{study}/series/{series}/instances/{instance}/metadata", "GET"),
        new Resource("studies/{study}/series/{series}/instances/{instance}/frames/{frames}", "GET"),
        new Resource("studies/{study}/series/{series}/instances/{instance}/bulkdata/{tag}", "GET"),
        new Resource("series", "GET"),
        new Resource("instances", "GET"),
    };

    private Capabilities() {
    }

    static void write(Exchange ex) throws IOException {
        ex.setHeader("Allow", "OPTIONS");
        boolean json = false;
        for (MediaType m : MediaType.parseAccept(ex.header("Accept"))) {
            if (m.is("application/json") || m.is(MediaType.DICOM_JSON)) {
                json = true;
                break;
            }
            if (m.covers("application/vnd.sun.wadl+xml")) {
                break;
            }
        }
        if (json) {
            ex.json(200, "application/json", g -> {
                g.writeStartObject();
                g.writeStringField("base", ex.baseUrl());
                g.writeArrayFieldStart("resources");
                for (Resource r : RESOURCES) {
                    g.writeStartObject();
                    g.writeStringField("path", r.path());
                    g.writeArrayFieldStart("methods");
                    for (String m : r.methods().split(" ")) {
                        g.writeString(m);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
            return;
        }
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<application xmlns=\"http://wadl.dev.java.net/2009/02\">\n")
                .append("  <resources base=\"").append(xml(ex.baseUrl())).append("/\">\n");
        for (Resource r : RESOURCES) {
            x.append("    <resource path=\"").append(xml(r.path())).append("\">\n");
            for (String m : r.methods().split(" ")) {
                x.append("      <method name=\"").append(m).append("\"/>\n");
            }
            x.append("    </resource>\n");
        }
        x.append("  </resources>\n</application>\n");
        OutputStream out = ex.start(200, "application/vnd.sun.wadl+xml");
        out.write(x.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
