package org.pacs.storage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The floor of a store as a process on this platform: a JVM started with the launcher's options for short commands
 * that does only what a durable store needs, on {@code threads} threads: read the file, SHA-256 it, write it to a
 * temporary file, force, rename into one series folder, force the folder, then commit a row in a
 * {@link FloorCatalog} (group commit) and wait for it. No DICOM parsing, no header capture, no duplicate check, no
 * progress output, no configuration. {@code pacs-storage store} does all of that too; the gap between the two is
 * ours, the gap between this and the in-process floor is the JVM's start and warm-up plus the index.
 * <p>Arguments: {@code inputFolder outputFolder threads}.
 */
public final class ProcessFloor {

    private ProcessFloor() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Path root = Path.of(args[1]);
        Path tmp = Files.createDirectories(root.resolve(".tmp"));
        Path dir = Files.createDirectories(root.resolve("study").resolve("series"));
        try (FloorCatalog catalog = new FloorCatalog(root.resolve("floor.db"))) {
            CloudBench.seconds(files.size(), Integer.parseInt(args[2]), i -> {
                byte[] bytes = Files.readAllBytes(files.get(i));
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                Path target = dir.resolve(files.get(i).getFileName());
                IngestPaths.writeDurably(bytes, tmp.resolve(i + ".tmp"), target);
                catalog.commit(target.getFileName() + " " + sha, bytes.length);
            });
        }
        System.out.println("Stored " + files.size() + " of " + files.size() + " files");
    }
}
