package org.pacs.storage.bench;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The durable-reply floor of an HTTP store on this platform: what a server built from the same parts as ours
 * (Jetty, SQLite in WAL mode with full sync) can do when it does nothing but what a durable reply needs. Each
 * request's body is written to a temporary file, forced, renamed into one series folder, the folder forced; then a
 * row is committed in a {@link FloorCatalog} (group commit), and only then is 200 sent.
 * No multipart parsing, no DICOM, no authentication, no audit, no duplicate check.
 * <p>It tells the platform's share of a STOW-RS figure from ours: where 3 x Orthanc lies above this floor, no
 * server that replies only once an instance is durable reaches it here. With {@code durable} false it is the HTTP
 * ceiling instead: the same server reading each body and discarding it (no file, no row), what the clients, Jetty
 * and the loopback allow on their own.
 */
final class HttpFloor implements AutoCloseable {

    private final Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
    private final Path dir;
    private final Path tmp;
    private final FloorCatalog catalog;
    private final AtomicLong names = new AtomicLong();

    HttpFloor(Path root, boolean durable) throws Exception {
        dir = Files.createDirectories(root.resolve("study").resolve("series"));
        tmp = Files.createDirectories(root.resolve(".tmp"));
        catalog = durable ? new FloorCatalog(root.resolve("floor.db")) : null;
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (!durable) {
                    try (InputStream in = Content.Source.asInputStream(request)) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                    response.setStatus(200);
                    Content.Sink.write(response, true, "{}", callback);
                    return true;
                }
                String name = names.incrementAndGet() + ".dcm";
                Path t = tmp.resolve(name);
                long size = 0;
                try (InputStream in = Content.Source.asInputStream(request);
                     FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = in.read(buf)) > 0; size += n) {
                        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                        while (b.hasRemaining()) {
                            ch.write(b);
                        }
                    }
                    ch.force(true);
                }
                Files.move(t, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                IngestPaths.forceDirectory(dir);
                catalog.commit(name, size);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/dicom+json");
                Content.Sink.write(response, true, "{}", callback);
                return true;
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/studies";
    }

    @Override
    public void close() throws Exception {
        server.stop();
        if (catalog != null) {
            catalog.close();
        }
    }
}
