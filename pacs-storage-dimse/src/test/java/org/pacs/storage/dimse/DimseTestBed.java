package org.pacs.storage.dimse;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/** A real FileStorage under a temporary directory and our SCP over it on a free port of 127.0.0.1. */
abstract class DimseTestBed {

    @TempDir
    Path dir;

    StorageBackend archive;
    DimseServer server;
    final List<DimseAuditSink.Event> events = new CopyOnWriteArrayList<>();

    DimseConfig config() {
        return DimseConfig.defaults().withPort(0).withArtimTimeout(Duration.ofSeconds(5))
                .withIdleTimeout(Duration.ofSeconds(30));
    }

    DimseServer start(DimseConfig config) {
        if (archive == null) {
            archive = new FileStorage(FileStorageConfig.of(dir.resolve("archive")).withFsync(false));
        }
        return start(config, archive);
    }

    DimseServer start(DimseConfig config, StorageBackend backend) {
        server = new DimseServer(config, backend, events::add).start();
        return server;
    }

    String port() {
        return Integer.toString(server.port());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (archive != null) {
            archive.close();
        }
    }
}
