package org.pacs.storage.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.security.SecurityStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DIMSE listener: {@code new DimseServer(config, archive[, audit[, security]]).start()}, then {@link #port()}; {@link #close()} stops
 * accepting and ends every association. One thread per association; associations beyond
 * {@link DimseConfig#maxAssociations()} are rejected as transient "local limit exceeded". The archive is not
 * closed by the server: whoever opened it closes it.
 */
public final class DimseServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DimseServer.class);

    private final DimseConfig config;
    private final StorageBackend archive;
    private final DimseAuditSink audit;
    private final UserIdentityCheck identity;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final ThreadPoolExecutor pool;
    private volatile ServerSocket server;
    private Thread acceptor;

    public DimseServer(DimseConfig config, StorageBackend archive) {
        this(config, archive, DimseAuditSink.NONE);
    }

    public DimseServer(DimseConfig config, StorageBackend archive, DimseAuditSink audit) {
        this(config, archive, audit, null);
    }

    /**
     * @param security the users an association's User Identity (user name, or user name and password) is checked
     *                 against; null for none, which {@link DimseConfig#requireUserIdentity()} does not allow
     */
    public DimseServer(DimseConfig config, StorageBackend archive, DimseAuditSink audit, SecurityStorage security) {
        this.config = Objects.requireNonNull(config, "config");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.identity = new UserIdentityCheck(security, config.requireUserIdentity());
        AtomicInteger n = new AtomicInteger();
        // Room beyond the limit so that an excess association still gets its A-ASSOCIATE-RJ.
        this.pool = new ThreadPoolExecutor(0, config.maxAssociations() + 16, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "dimse-association-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Binds and starts accepting; UNAVAILABLE when the address cannot be bound. */
    public synchronized DimseServer start() {
        if (server != null) {
            return this;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(config.bind()), config.port()), 128);
            server = s;
        } catch (IOException e) {
            throw StorageException.unavailable("Could not listen for DIMSE on " + config.bind() + ":" + config.port()
                    + " (" + e.getMessage() + "); choose a free dimse.port or stop what uses it.", e);
        }
        acceptor = new Thread(this::acceptLoop, "dimse-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("DIMSE SCP {} listening on {}:{}", config.aeTitle(), config.bind(), port());
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        ServerSocket s = server;
        if (s == null) {
            throw new IllegalStateException("DimseServer not started");
        }
        return s.getLocalPort();
    }

    public DimseConfig config() {
        return config;
    }

    /** Associations in progress. */
    public int activeAssociations() {
        return active.get();
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!s.isClosed()) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                if (!s.isClosed()) {
                    LOG.warn("DIMSE accept failed: {}", e.toString());
                }
                continue;
            }
            try {
                pool.execute(() -> handle(socket));
            } catch (RejectedExecutionException e) {
                LOG.warn("DIMSE connection from {} dropped: no thread free", socket.getRemoteSocketAddress());
                closeQuietly(socket);
            }
        }
    }

    private void handle(Socket socket) {
        open.add(socket);
        boolean busy = active.incrementAndGet() > config.maxAssociations();
        try {
            socket.setTcpNoDelay(true);
            new Association(transport(socket), config, archive, audit, busy, identity).run();
        } catch (IOException e) {
            LOG.info("DIMSE connection from {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
        } finally {
            active.decrementAndGet();
            open.remove(socket);
            closeQuietly(socket);
        }
    }

    private static Association.Transport transport(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        String remote = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        return new Association.Transport() {
            public InputStream in() {
                return in;
            }

            public OutputStream out() {
                return out;
            }

            public String remoteAddress() {
                return remote;
            }

            public void readTimeout(int millis) throws IOException {
                socket.setSoTimeout(millis);
            }

            public void shutdownOutput() throws IOException {
                out.flush();
                socket.shutdownOutput();
            }
        };
    }

    /** Stops accepting and closes every association's connection (their peers see the connection drop). */
    @Override
    public synchronized void close() {
        ServerSocket s = server;
        if (s == null) {
            return;
        }
        closeQuietly(s);
        open.forEach(DimseServer::closeQuietly);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("DIMSE associations still running after close");
            }
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("DIMSE SCP {} stopped", config.aeTitle());
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing: nothing to do with a failure
        }
    }
}
