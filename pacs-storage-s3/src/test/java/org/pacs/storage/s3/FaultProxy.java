package org.pacs.storage.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A small HTTP proxy in front of a real S3 server that passes everything through except requests a rule
 * matches, which get the fake response the rule gives. It exists only for answers no emulator produces
 * (archived-object refusals, x-amz-restore, throttling, a failing part) and for damage no network here
 * produces (a request body with one byte flipped on the way); each test names what it fakes. Only for S3Mock, which does not check signatures: the proxy changes the Host header.
 */
final class FaultProxy implements AutoCloseable {

    /** What the proxy sees of a request when deciding. */
    record Request(String method, String path, String query, Map<String, List<String>> headers) {
        /** True when the query has {@code name}, with any value or none. */
        boolean hasQuery(String name) {
            return param(name) != null;
        }

        /** The raw value of a query parameter, "" when it has none, null when absent. */
        String param(String name) {
            if (query == null) {
                return null;
            }
            for (String p : query.split("&")) {
                int eq = p.indexOf('=');
                if ((eq < 0 ? p : p.substring(0, eq)).equals(name)) {
                    return eq < 0 ? "" : p.substring(eq + 1);
                }
            }
            return null;
        }
    }

    /** A fake answer; {@code overlayRealHead} keeps the real server's HEAD headers and adds these. */
    record Fake(int status, Map<String, String> headers, String body, boolean overlayRealHead) {
        static Fake error(int status, String code, String message) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                    + message + "</Message><RequestId>FAKE0001</RequestId></Error>";
            return new Fake(status, Map.of("Content-Type", "application/xml"), xml, false);
        }

        static Fake status(int status) {
            return new Fake(status, Map.of(), "", false);
        }

        /** The real HEAD response with extra headers, e.g. x-amz-storage-class and x-amz-restore. */
        static Fake headWith(Map<String, String> headers) {
            return new Fake(0, headers, "", true);
        }
    }

    private record Rule(Predicate<Request> when, Fake fake) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "date");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Predicate<Request>> damage = new CopyOnWriteArrayList<>();
    private final List<Request> damaged = new CopyOnWriteArrayList<>();
    private final List<Request> faked = new CopyOnWriteArrayList<>();
    private final List<Request> seen = new CopyOnWriteArrayList<>();

    FaultProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** First matching rule wins. */
    FaultProxy when(Predicate<Request> when, Fake fake) {
        rules.add(new Rule(when, fake));
        return this;
    }

    void clearRules() {
        rules.clear();
        damage.clear();
    }

    /** Forwards matching requests with one byte of their body flipped, as a faulty link would. */
    FaultProxy damageBodyWhen(Predicate<Request> when) {
        damage.add(when);
        return this;
    }

    /** Requests forwarded with a damaged body. */
    List<Request> damaged() {
        return List.copyOf(damaged);
    }

    /** Requests that got a fake answer. */
    List<Request> faked() {
        return List.copyOf(faked);
    }

    List<Request> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            URI uri = ex.getRequestURI();
            Request req = new Request(ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()));
            seen.add(req);
            Fake fake = rules.stream().filter(r -> r.when().test(req)).map(Rule::fake).findFirst().orElse(null);
            if (fake != null && !fake.overlayRealHead()) {
                faked.add(req);
                ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
                byte[] body = fake.body().getBytes(StandardCharsets.UTF_8);
                fake.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                boolean noBody = body.length == 0 || req.method().equals("HEAD");
                ex.sendResponseHeaders(fake.status(), noBody ? -1 : body.length);
                if (!noBody) {
                    ex.getResponseBody().write(body);
                }
                return;
            }
            forward(ex, req, fake);
        } catch (IOException | RuntimeException e) {
            // the client sees a broken connection, which is what a failing network looks like
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange ex, Request req, Fake overlay) throws IOException, InterruptedException {
        String q = req.query() == null ? "" : "?" + req.query();
        long length = ex.getRequestHeaders().getFirst("Content-Length") == null ? -1
                : Long.parseLong(ex.getRequestHeaders().getFirst("Content-Length"));
        InputStream reqBody = ex.getRequestBody();
        if (length > 1 && damage.stream().anyMatch(d -> d.test(req))) {
            damaged.add(req);
            reqBody = new FlipOneByte(reqBody, length / 2);
        }
        InputStream body0 = reqBody;
        HttpRequest.BodyPublisher pub = length == 0 || (length < 0 && !"chunked".equalsIgnoreCase(
                ex.getRequestHeaders().getFirst("Transfer-Encoding")))
                ? HttpRequest.BodyPublishers.noBody()
                : length > 0 ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body0), length)
                : HttpRequest.BodyPublishers.ofInputStream(() -> body0);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + req.path() + q))
                .method(req.method(), pub).timeout(Duration.ofMinutes(2));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        HttpResponse<InputStream> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        resp.headers().map().forEach((k, vs) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase()) || (req.method().equals("HEAD") && k.equalsIgnoreCase("content-length"))) {
                vs.forEach(v -> ex.getResponseHeaders().add(k, v));
            }
        });
        if (overlay != null) {
            faked.add(req);
            overlay.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        }
        long respLength = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream body = resp.body()) {
            if (req.method().equals("HEAD") || respLength == 0) {
                ex.sendResponseHeaders(resp.statusCode(), -1);
                body.transferTo(OutputStream.nullOutputStream());
            } else {
                ex.sendResponseHeaders(resp.statusCode(), respLength < 0 ? 0 : respLength);
                body.transferTo(ex.getResponseBody());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** Passes a body through with the byte at {@code position} inverted; the length stays the same. */
    private static final class FlipOneByte extends java.io.FilterInputStream {
        private final long position;
        private long offset;

        FlipOneByte(InputStream in, long position) {
            super(in);
            this.position = position;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && offset++ == position) {
                return b ^ 0xFF;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0 && position >= offset && position < offset + n) {
                buf[off + (int) (position - offset)] ^= (byte) 0xFF;
            }
            offset += Math.max(n, 0);
            return n;
        }
    }
}
