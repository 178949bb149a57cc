package org.pacs.storage.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The index half of the floors ({@link HttpFloor}, {@link ProcessFloor}): one SQLite table in WAL mode with full
 * sync, its key and ten indexes (about as many B-trees as a catalog row touches), rows committed by one thread in
 * groups of whatever is waiting (one WAL fsync per group). {@link #commit} returns once its row is durable.
 */
final class FloorCatalog implements AutoCloseable {

    private record Pending(String name, long size, CompletableFuture<Void> done) {
    }

    private final Connection db;
    private final PreparedStatement insert;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread committer;

    FloorCatalog(Path file) throws SQLException {
        db = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("CREATE TABLE rows(name TEXT PRIMARY KEY, a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT,"
                    + " g TEXT, h TEXT, i TEXT, size INTEGER)");
            for (String c : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "size")) {
                s.execute("CREATE INDEX ix_" + c + " ON rows(" + c + ")");
            }
        }
        db.setAutoCommit(false);
        insert = db.prepareStatement("INSERT INTO rows VALUES(?,?,?,?,?,?,?,?,?,?,?)");
        committer = new Thread(this::commitGroups, "floor-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /** Adds a row for {@code name} and waits until its group is committed. */
    void commit(String name, long size) throws InterruptedException, ExecutionException {
        Pending p = new Pending(name, size, new CompletableFuture<>());
        queue.put(p);
        p.done().get();
    }

    private void commitGroups() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                return; // closed
            }
            queue.drainTo(group);
            try {
                for (Pending p : group) {
                    insert.setString(1, p.name());
                    for (int c = 2; c <= 10; c++) {
                        insert.setString(c, p.name().substring(0, Math.min(p.name().length(), c)) + "-value");
                    }
                    insert.setLong(11, p.size());
                    insert.executeUpdate();
                }
                db.commit();
                group.forEach(p -> p.done().complete(null));
            } catch (SQLException e) {
                group.forEach(p -> p.done().completeExceptionally(e)); // the bench fails, it does not hang
                try {
                    db.rollback();
                } catch (SQLException ignored) {
                    // the next group fails the same way
                }
            }
            group.clear();
        }
    }

    @Override
    public void close() throws Exception {
        committer.interrupt();
        committer.join();
        db.close();
    }
}
