package org.pacs.storage.hsm;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** An HsmStorage over FileStorage tiers and a SQLite catalog in a temporary directory, closed after each test. */
abstract class FileHsmTestBase {

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    HsmStorage hsm;

    @AfterEach
    void close() {
        if (hsm != null) {
            hsm.close();
        }
    }

    HsmStorage open(HsmStorageConfig config) {
        hsm = HsmFixture.open(dir, config);
        return hsm;
    }
}
