package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.security.AccessEvent;
import org.pacs.storage.security.AccessEventQuery;

/** Concurrent requests share audit commits, and each still finds its own row once it has its reply. */
class AuditConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void everyConcurrentRequestHasItsRowBeforeItsReply() throws Exception {
        try (DicomWebFixture web = new DicomWebFixture(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 80; i++) {
                    String marker = "1.2.999." + (i + 1);
                    done.add(pool.submit(() -> {
                        HttpResponse<String> r = web.get("victor", "/studies/" + marker + "/series", null);
                        assertThat(r.statusCode()).isEqualTo(200);
                        // The row exists as soon as the reply is in: no wait, no retry.
                        assertThat(web.security.accessEvents(new AccessEventQuery(null, marker, null, 0)))
                                .singleElement().extracting(AccessEvent::action).isEqualTo("SEARCH_SERIES");
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(web.security.accessEvents(AccessEventQuery.all())).hasSize(80);
        }
    }
}
