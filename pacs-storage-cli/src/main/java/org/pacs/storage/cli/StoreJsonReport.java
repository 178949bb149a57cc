package org.pacs.storage.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.cli.StorePipeline.Outcome;

/**
 * {@code store --json}, written while storing so its size never sits in memory: each stored instance goes to
 * stdout as it is reported, each failure to an owner-only spool file (file names can carry patient names), copied
 * behind the instances at the end, then the counts. One document:
 * {@code {"instances": [...], "failures": [...], "stored": n, "failed": n, "bytes": n, "seconds": s,
 * "megabytesPerSecond": r}}.
 */
final class StoreJsonReport implements AutoCloseable {

    private static final JsonFactory COMPACT = new JsonFactory();

    private final PrintWriter out;
    private final JsonGenerator json;
    private final Path spool;
    private final JsonGenerator failures;

    StoreJsonReport(PrintWriter out) throws IOException {
        this.out = out;
        this.spool = createSpool();
        try {
            this.failures = COMPACT.createGenerator(Files.newBufferedWriter(spool));
            this.json = Json.generator(out);
            json.writeStartObject();
            json.writeArrayFieldStart("instances");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(spool);
            throw e;
        }
    }

    private static Path createSpool() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(tmp, "pacs-storage-store-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(tmp, "pacs-storage-store-", ".json");
    }

    void add(Outcome o) {
        try {
            if (o.ok()) {
                StoredInstance s = o.stored();
                json.writeStartObject();
                json.writeStringField("file", o.file().toString());
                json.writeStringField("SOPInstanceUID", s.sopInstanceUid().value());
                json.writeStringField("StudyInstanceUID", s.studyInstanceUid());
                json.writeStringField("SeriesInstanceUID", s.seriesInstanceUid());
                json.writeNumberField("size", s.sizeBytes());
                json.writeStringField("sha256", s.sha256());
                json.writeEndObject();
            } else {
                failures.writeStartObject();
                failures.writeStringField("file", o.file().toString());
                failures.writeStringField("reason", o.reason());
                failures.writeStringField("error", o.message());
                failures.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The failures and the counts; closes the document. */
    void finish(StoreCommand.Summary s) throws IOException {
        json.writeEndArray();
        json.writeArrayFieldStart("failures");
        failures.close();
        try (JsonParser p = COMPACT.createParser(spool.toFile())) {
            while (p.nextToken() != null) {
                json.copyCurrentStructure(p);
            }
        } catch (IOException e) {
            throw StorageException.unavailable("Cannot read back the list of failures from " + spool + ": " + e
                    + "; check the temporary folder (java.io.tmpdir).", e);
        }
        json.writeEndArray();
        json.writeNumberField("stored", s.stored());
        json.writeNumberField("failed", s.failed());
        json.writeNumberField("bytes", s.bytes());
        json.writeNumberField("seconds", s.seconds());
        json.writeNumberField("megabytesPerSecond", Progress.megabytesPerSecond(s.bytes(), s.seconds()));
        json.writeEndObject();
        json.flush();
        out.println();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            failures.close();
            json.close();
        } finally {
            Files.deleteIfExists(spool);
        }
    }
}
