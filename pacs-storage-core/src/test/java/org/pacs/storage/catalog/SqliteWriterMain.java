package org.pacs.storage.catalog;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A second process writing a SQLite catalog: opens it (racing the others on schema creation), prints "ready",
 * waits for a line on stdin so every writer starts at once, then writes {@code count} rows under its prefix
 * (single inserts, batches of 5 and atomically-joined pairs) and a counter, and prints "done RETRIES".
 * <p>Arguments: {@code file prefix count busyTimeoutMillis}.
 */
public final class SqliteWriterMain {

    private SqliteWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        int busyTimeout = Integer.parseInt(args[3]);
        try (JdbcInstanceCatalog catalog = JdbcInstanceCatalog.sqlite(file, busyTimeout)) {
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            write(catalog, prefix, count);
            System.out.println("done " + catalog.busyRetries());
        }
    }

    /** Writes rows {@code prefix.0} .. {@code prefix.(count-1)}, each exactly once, plus one counter step per row. */
    static void write(JdbcInstanceCatalog catalog, String prefix, int count) {
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        int i = 0;
        while (i < count) {
            switch (i % 3) {
                case 0 -> {
                    if (!catalog.insert(CatalogTestData.entry(prefix + "." + i, prefix, prefix + ".9", "P", null, 1, t0))) {
                        throw new IllegalStateException("row " + prefix + "." + i + " was there already");
                    }
                    catalog.addToCounter("rows", 1);
                    i++;
                }
                case 1 -> {
                    List<CatalogEntry> batch = new ArrayList<>();
                    for (int k = 0; k < 5 && i + k < count; k++) {
                        batch.add(CatalogTestData.entry(prefix + "." + (i + k), prefix, prefix + ".9", "P", null, 1, t0));
                    }
                    if (catalog.insertBatch(batch) != batch.size()) {
                        throw new IllegalStateException("a batch from " + prefix + "." + i + " was partly there");
                    }
                    catalog.addToCounter("rows", batch.size());
                    i += batch.size();
                }
                default -> {
                    int row = i;
                    catalog.atomically(() -> {
                        catalog.insert(CatalogTestData.entry(prefix + "." + row, prefix, prefix + ".9", "P", null, 1, t0));
                        catalog.addToCounter("rows", 1);
                        return null;
                    });
                    i++;
                }
            }
        }
    }
}
