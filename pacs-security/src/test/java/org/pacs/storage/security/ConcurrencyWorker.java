package org.pacs.storage.security;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One participant of {@link ConcurrencyTest}: a fixed mix of writes and reads whose final effect on the
 * tables is known exactly. Also runnable as a separate process: it prints READY, waits for GO on stdin,
 * then prints DONE or FAIL.
 */
final class ConcurrencyWorker {

    static final int USERS_PER_WORKER = 30;

    private ConcurrencyWorker() {
    }

    static int deletedPerWorker() {
        return (USERS_PER_WORKER + 4) / 5;
    }

    static int auditsPerWorker() {
        return 2 * USERS_PER_WORKER + (USERS_PER_WORKER + 2) / 3 + deletedPerWorker();
    }

    static void run(SecurityStorage storage, String prefix) {
        for (int i = 0; i < USERS_PER_WORKER; i++) {
            String id = prefix + "-" + i;
            User created = storage.createUser(prefix, User.of(id, prefix + "." + i, Role.VIEWER));
            require(storage.getUser(id).equals(created), "read back " + id);
            storage.updateUser(prefix, created.withUsername(prefix + ".r" + i)
                    .withRoles(List.of(Role.VIEWER, Role.RADIOLOGIST)));
            require(storage.getUserByUsername(prefix + ".R" + i).id().equals(id), "find renamed " + id);
            require(storage.getUsersByRole(Role.RADIOLOGIST).stream().anyMatch(u -> u.id().equals(id)), "by role " + id);
            if (i % 3 == 0) {
                require(!storage.setActive(prefix, id, false).active(), "deactivate " + id);
            }
            if (i % 5 == 0) {
                storage.deleteUser(prefix, id);
            }
            if (i % 10 == 0) {
                storage.listUsers();
                storage.auditLog(id);
            }
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    /** Arguments: database path, worker prefix. */
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY");
        System.out.flush();
        if (!"GO".equals(in.readLine())) {
            System.out.println("FAIL no GO");
            System.exit(2);
        }
        try (SqliteSecurityStorage storage = new SqliteSecurityStorage(Path.of(args[0]))) {
            run(storage, args[1]);
            System.out.println("DONE");
        } catch (RuntimeException e) {
            System.out.println("FAIL " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
