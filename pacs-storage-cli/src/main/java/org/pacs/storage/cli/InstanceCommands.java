package org.pacs.storage.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Commands on single instances: retrieve, find, remove, exists. */
final class InstanceCommands {

    private InstanceCommands() {
    }

    @Command(name = "retrieve", description = "Writes the exact stored bytes of an instance to a file or stdout.")
    static final class Retrieve implements Callable<Integer> {

        @ParentCommand
        PacsStorageCli root;

        @Parameters(index = "0", paramLabel = "UID", description = "SOP Instance UID.")
        String uid;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE|-",
                description = "Where to write; '-' for stdout. Default: UID.dcm in the current folder.")
        String output;

        @Override
        public Integer call() throws IOException {
            SopInstanceUid u = Uids.parse(uid);
            boolean toStdout = "-".equals(output);
            Path file = Path.of(output == null ? u.value() + ".dcm" : output);
            try (Archive archive = root.openArchive()) {
                Optional<StoredInstance> described = archive.storage().describe(u);
                if (described.isEmpty()) {
                    throw StorageException.notFound(u);
                }
                if (toStdout) {
                    try (InputStream in = archive.storage().open(u)) {
                        in.transferTo(System.out);
                        System.out.flush();
                    }
                    return PacsStorageCli.OK;
                }
                long bytes = copyVerified(archive, u, described.get(), file);
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("SOPInstanceUID", u.value());
                json.put("file", file.toString());
                json.put("bytes", bytes);
                json.put("sha256", described.get().sha256());
                root.print(json, "Wrote " + bytes + " bytes to " + file + ".");
                return PacsStorageCli.OK;
            }
        }

        /** Temp file, SHA-256 checked against the index, then rename: never a half-written or wrong file. */
        private static long copyVerified(Archive archive, SopInstanceUid u, StoredInstance meta, Path file)
                throws IOException {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".retrieve-", ".part");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long n;
                try (InputStream in = archive.storage().open(u);
                     OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                    n = in.transferTo(out);
                }
                String got = HexFormat.of().formatHex(sha.digest());
                if (!got.equals(meta.sha256())) {
                    throw new StorageException(StorageException.Reason.CORRUPT, "Instance " + u + " read back with"
                            + " SHA-256 " + got + " instead of " + meta.sha256() + "; run 'verify' and restore it"
                            + " from another copy.");
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return n;
            } catch (NoSuchAlgorithmException e) {
                throw StorageException.internal("SHA-256 is missing from this Java runtime.", e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    @Command(name = "find", description = "Finds patients, studies, series or instances with DICOM matching:"
            + " wildcards (* ?), date ranges (20240101-20241231) and UID lists (uid1\\uid2).")
    static final class Find implements Callable<Integer> {

        @ParentCommand
        PacsStorageCli root;

        @Option(names = "--level", defaultValue = "instance", paramLabel = "LEVEL",
                description = "patient, study, series or instance; default instance.")
        String level;

        @Parameters(arity = "0..*", paramLabel = "KEY=VALUE",
                description = "e.g. PatientID=PID123 PatientName=SMITH* StudyDate=20240101-20241231 Modality=CT.")
        List<String> keys = new ArrayList<>();

        @Option(names = "--limit", paramLabel = "N", description = "At most N results (default: all).")
        Integer limit;

        @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
                description = "Skip the first N results, in the catalog's order (default 0).")
        int offset;

        @Override
        public Integer call() {
            QueryBuilder query = new QueryBuilder(level, keys);
            if ((limit != null && limit < 0) || offset < 0) {
                throw new UsageException("--limit and --offset take 0 or more.");
            }
            try (Archive archive = root.openArchive()) {
                List<DicomDataset> found = limit == null && offset == 0 ? archive.storage().find(query.dataset())
                        : archive.storage().find(query.dataset(), limit == null ? Integer.MAX_VALUE : limit, offset);
                List<Map<String, Object>> rows = query.rows(found);
                root.print(rows, QueryBuilder.table(rows) + rows.size() + " " + query.levelName(rows.size())
                        + " found.");
                return PacsStorageCli.OK;
            }
        }
    }

    @Command(name = "remove", description = "Removes instances; the exit code is 1 if any could not be removed.")
    static final class Remove implements Callable<Integer> {

        @ParentCommand
        PacsStorageCli root;

        @Parameters(arity = "1..*", paramLabel = "UID")
        List<String> uids;

        @Override
        public Integer call() {
            List<SopInstanceUid> parsed = uids.stream().map(Uids::parse).toList();
            List<Map<String, Object>> results = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int failed = 0;
            try (Archive archive = root.openArchive()) {
                for (SopInstanceUid u : parsed) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("SOPInstanceUID", u.value());
                    try {
                        if (!archive.storage().exists(u)) {
                            throw StorageException.notFound(u);
                        }
                        archive.storage().remove(u);
                        m.put("removed", true);
                        text.append("removed ").append(u).append('\n');
                    } catch (StorageException e) {
                        failed++;
                        m.put("removed", false);
                        m.put("reason", e.reason().name());
                        m.put("error", PacsStorageCli.oneLine(e.getMessage()));
                        root.err().println("pacs-storage: " + PacsStorageCli.oneLine(e.getMessage()));
                    }
                    results.add(m);
                }
            }
            root.err().flush();
            root.print(results, text.toString().strip());
            return failed == 0 ? PacsStorageCli.OK : PacsStorageCli.FAILED;
        }
    }

    @Command(name = "exists", description = "Exit code 0 if the instance is stored, 1 if not.")
    static final class Exists extends SingleUidCommand {

        @Override
        int run(Archive archive, SopInstanceUid u) {
            boolean present = archive.storage().exists(u);
            root.print(Json.object("SOPInstanceUID", u.value(), "exists", present),
                    u + (present ? " is stored." : " is not stored."));
            return present ? PacsStorageCli.OK : PacsStorageCli.FAILED;
        }
    }
}
