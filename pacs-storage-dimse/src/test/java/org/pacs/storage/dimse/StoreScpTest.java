package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.dicom.TransferSyntax;

/**
 * C-STORE SCP against DCMTK senders: every storable pydicom sample arrives in the archive with the data set bytes
 * DCMTK's own storescp received from the same sender (DCMTK re-encodes a few odd samples on the wire, so the
 * sender's file is not the reference), under a meta group naming the association's syntax and the sender's AE.
 */
class StoreScpTest extends DimseTestBed {

    @TempDir
    static Path shared;
    /** One file per SOP Instance UID; the other variants (same UID, other bytes) in {@code duplicates}. */
    static List<Path> files;
    static List<Path> duplicates = new ArrayList<>();
    /** What DCMTK's storescp received from dcmsend for each sample file: the reference. */
    static Map<Path, Corpus.Received> reference = new java.util.HashMap<>();

    /**
     * dcmsend proposes each file's own syntax first and we accept the first proposed; storescp accepts by its own
     * preference, so each syntax gets a storescp run that prefers it. Files sharing a UID go in separate runs.
     */
    @BeforeAll
    static void reference() throws Exception {
        if (!Corpus.present() || !Dcmtk.available("dcmsend") || !Dcmtk.available("storescp")) {
            reference = null;
            return;
        }
        files = Corpus.storable(duplicates);
        List<Path> all = new ArrayList<>(files);
        all.addAll(duplicates);
        Map<String, List<List<Path>>> rounds = new java.util.TreeMap<>();
        for (Path p : all) {
            String ts = syntax(p);
            List<List<Path>> r = rounds.computeIfAbsent(ts, k -> new ArrayList<>());
            List<Path> target = r.stream().filter(l -> l.stream().noneMatch(q -> sameUid(p, q))).findFirst()
                    .orElse(null);
            if (target == null) {
                target = new ArrayList<>();
                r.add(target);
            }
            target.add(p);
        }
        int n = 0;
        for (Map.Entry<String, List<List<Path>>> e : rounds.entrySet()) {
            String prefer = switch (e.getKey()) {
                // dcmsend proposes explicit LE first for every native file and converts on the fly; implicit
                // and big endian reception is covered by storescu proposing them first (nativeSyntaxes...).
                case TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN -> "+xe";
                case TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN -> "+xd";
                case TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN -> "+xe";
                default -> "+xa";
            };
            for (List<Path> round : e.getValue()) {
                Path out = Files.createDirectories(shared.resolve("storescp-" + n++));
                int port = freePort();
                Process scp = Dcmtk.start(Dcmtk.cmd("storescp", prefer, "-aet", "PACS", "-od", out.toString(),
                        Integer.toString(port)), shared, shared.resolve("storescp.log"));
                try {
                    org.awaitility.Awaitility.await().ignoreExceptions().until(() -> {
                        new java.net.Socket("127.0.0.1", port).close();
                        return true;
                    });
                    send(port, round, "-ma");
                } finally {
                    scp.destroy();
                    scp.waitFor();
                }
                Map<String, Corpus.Received> got = Corpus.readAll(out);
                for (Path p : round) {
                    Corpus.Received r = got.get(uid(p));
                    if (r != null) {
                        reference.put(p, r);
                    }
                }
            }
        }
    }

    /** What storescp received from storescu with the given proposal (-xi, -xb) and preference, by file. */
    static Map<Path, Corpus.Received> storescuReference(String scuFlag, String scpFlag, List<Path> which)
            throws Exception {
        Path out = Files.createDirectories(shared.resolve("storescp" + scuFlag));
        int port = freePort();
        Process scp = Dcmtk.start(Dcmtk.cmd("storescp", scpFlag, "-aet", "PACS", "-od", out.toString(),
                Integer.toString(port)), shared, shared.resolve("storescp" + scuFlag + ".log"));
        try {
            org.awaitility.Awaitility.await().ignoreExceptions().until(() -> {
                new java.net.Socket("127.0.0.1", port).close();
                return true;
            });
            storescu(port, scuFlag, which);
        } finally {
            scp.destroy();
            scp.waitFor();
        }
        Map<String, Corpus.Received> got = Corpus.readAll(out);
        Map<Path, Corpus.Received> ref = new java.util.HashMap<>();
        which.forEach(p -> ref.put(p, got.get(uid(p))));
        return ref;
    }

    /** storescu 3.6.7 has no presentation context for Segmentation Storage in its default list (dcmsend has). */
    static boolean storescuKnows(Path p) {
        return !org.pacs.storage.dicom.DicomReader.readHeader(p).dataset()
                .getUid(org.pacs.storage.dicom.Tag.SOPClassUID).orElse("").equals("1.2.840.10008.5.1.4.1.1.66.4");
    }

    static Dcmtk.Result storescu(int port, String flag, List<Path> which) throws Exception {
        List<String> cmd = Dcmtk.cmd("storescu", flag, "-aet", "MODALITY", "-aec", "PACS", "127.0.0.1",
                Integer.toString(port));
        which.forEach(p -> cmd.add(p.toString()));
        return Dcmtk.run(cmd);
    }

    static String syntax(Path p) {
        return org.pacs.storage.dicom.DicomReader.readHeader(p).transferSyntaxUid();
    }

    @BeforeEach
    void need() {
        assumeTrue(reference != null, "pydicom samples (python3-pydicom) or DCMTK dcmsend/storescp are not installed");
    }

    static Dcmtk.Result send(int port, List<Path> which, String associations) throws Exception {
        List<String> cmd = Dcmtk.cmd("dcmsend", "-v", "-nh", "-dn", associations, "-aet", "MODALITY", "-aec", "PACS",
                "127.0.0.1", Integer.toString(port));
        which.forEach(p -> cmd.add(p.toString()));
        return Dcmtk.run(cmd);
    }

    @Test
    void everyStorableSampleInOneAssociationIsStoredAsReceived() throws Exception {
        start(config());
        Dcmtk.Result r = send(server.port(), files, "-ma");
        assertThat(r.output()).doesNotContain("Out of Resources").doesNotContain("Cannot understand");
        List<Path> received = files.stream().filter(reference::containsKey).toList();
        assertThat(received).hasSizeGreaterThan(25);
        assertStoredAsReference(received);
        assertThat(events).filteredOn(e -> e.operation().equals("ASSOCIATE")).hasSize(1);
        // Across every variant the syntaxes cover the families the archive reads.
        assertThat(reference.values()).extracting(Corpus.Received::transferSyntax)
                .contains(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                        TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
                        TransferSyntax.JPEG_BASELINE, TransferSyntax.JPEG_2000_LOSSLESS, TransferSyntax.RLE_LOSSLESS);
    }

    @Test
    void everyVariantOfEverySyntaxIsStoredAsReceived() throws Exception {
        // The UID-sharing variants (big endian, RLE, JPEG-LS ... of one MR image) each into an archive of its own.
        int i = 0;
        for (Path p : duplicates) {
            if (!reference.containsKey(p)) {
                continue;
            }
            try (FileStorage fs = new FileStorage(FileStorageConfig.of(dir.resolve("variant-" + i++)).withFsync(false));
                 DimseServer scp = new DimseServer(config(), fs).start()) {
                Dcmtk.Result r = send(scp.port(), List.of(p), "-ma");
                assertStoredAsReference(fs, List.of(p));
            }
        }
        assertThat(i).isGreaterThan(5);
    }

    @Test
    void implicitAndBigEndianProposedFirstAreStoredAsSuch() throws Exception {
        start(config());
        for (String[] v : new String[][] {{"-xi", "+xi", TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN},
                {"-xb", "+xb", TransferSyntax.EXPLICIT_VR_BIG_ENDIAN}}) {
            // storescu sends a file on the context of its own syntax: files already in that syntax, one per UID.
            List<Path> which = new ArrayList<>();
            for (Path p : reference.keySet().stream().sorted().toList()) {
                if (syntax(p).equals(v[2]) && storescuKnows(p) && which.stream().noneMatch(q -> sameUid(p, q))
                        && archive.describe(SopInstanceUid.of(uid(p))).isEmpty()) {
                    which.add(p);
                }
            }
            assertThat(which).as(v[2]).isNotEmpty();
            Map<Path, Corpus.Received> ref = storescuReference(v[0], v[1], which);
            // Files DCMTK itself does not transfer this way (storescp received nothing) are not compared.
            ref.values().removeIf(java.util.Objects::isNull);
            assertThat(ref.values()).isNotEmpty().allMatch(r -> r.transferSyntax().equals(v[2]));
            Dcmtk.Result r = storescu(server.port(), v[0], which);
            assertThat(r.exit()).as(r.output()).isZero();
            assertStoredAsReference(archive, ref);
        }
    }

    @Test
    void severalAssociationsInParallelAndStorescu() throws Exception {
        start(config());
        int n = 3;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Dcmtk.Result>> runs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                List<Path> part = new ArrayList<>();
                for (int j = k; j < files.size(); j += n) {
                    part.add(files.get(j));
                }
                runs.add(pool.submit(() -> send(server.port(), part, "+ma")));
            }
            for (Future<Dcmtk.Result> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertStoredAsReference(files.stream().filter(reference::containsKey).toList());
        assertThat(events).filteredOn(e -> e.operation().equals("ASSOCIATE")).hasSizeGreaterThanOrEqualTo(n);

        // storescu resends the native-syntax ones in one association: identical bytes are a harmless resend.
        List<String> cmd = Dcmtk.cmd("storescu", "-aet", "MODALITY", "-aec", "PACS", "127.0.0.1", port());
        List<Path> sent = new ArrayList<>();
        for (Path p : files) {
            Corpus.Received ref = reference.get(p);
            if (ref != null && ref.transferSyntax().equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                    && syntax(p).equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN) && storescuKnows(p)) {
                cmd.add(p.toString());
                sent.add(p);
            }
        }
        assertThat(sent).hasSizeGreaterThan(5);
        Dcmtk.Result r = Dcmtk.run(cmd);
        assertThat(r.exit()).as(r.output()).isZero();
        assertStoredAsReference(sent);
    }

    @Test
    void duplicateWithOtherBytesIsRefusedAsDuplicate() throws Exception {
        start(config());
        assumeTrue(!duplicates.isEmpty(), "no duplicate UIDs in the corpus");
        Path first = files.stream().filter(f -> sameUid(f, duplicates.get(0))).findFirst().orElseThrow();
        Dcmtk.Result ok = send(server.port(), List.of(first), "-ma");
        assertThat(ok.exit()).as(ok.output()).isZero();
        Dcmtk.Result dup = send(server.port(), List.of(duplicates.get(0)), "-ma");
        assertThat(dup.output()).as(dup.output()).contains("0x111");
        assertThat(events).filteredOn(e -> e.operation().equals("C-STORE")).extracting(DimseAuditSink.Event::status)
                .containsExactly(0, 0x0111);
    }

    static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b))
                + " (" + b.length + " bytes)";
    }

    static boolean sameUid(Path a, Path b) {
        return uid(a).equals(uid(b));
    }

    private static String uid(Path p) {
        return org.pacs.storage.dicom.DicomReader.readHeader(p).dataset()
                .getUid(org.pacs.storage.dicom.Tag.SOPInstanceUID).orElse("");
    }

    private void assertStoredAsReference(List<Path> sent) throws Exception {
        assertStoredAsReference(archive, sent);
    }

    private static void assertStoredAsReference(StorageBackend archive, List<Path> sent) throws Exception {
        Map<Path, Corpus.Received> refs = new java.util.HashMap<>();
        sent.forEach(p -> refs.put(p, reference.get(p)));
        assertStoredAsReference(archive, refs);
    }

    private static void assertStoredAsReference(StorageBackend archive, Map<Path, Corpus.Received> refs)
            throws Exception {
        for (Map.Entry<Path, Corpus.Received> e : refs.entrySet()) {
            String uid = uid(e.getKey());
            Corpus.Received ref = e.getValue();
            StoredInstance d = archive.describe(SopInstanceUid.of(uid)).orElse(null);
            assertThat(d).as("stored " + uid).isNotNull();
            try (InputStream in = archive.open(SopInstanceUid.of(uid))) {
                Corpus.Received ours = Corpus.read(in);
                assertThat(ours.sopInstance()).isEqualTo(uid);
                assertThat(ours.sopClass()).isEqualTo(ref.sopClass());
                assertThat(ours.transferSyntax()).as(uid).isEqualTo(ref.transferSyntax());
                assertThat(ours.sourceAe()).isEqualTo("MODALITY");
                byte[] want = ref.dataset();
                if (ours.transferSyntax().equals(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)
                        && ours.dataset().length == want.length + 1 && ours.dataset()[want.length] == 0) {
                    // PS3.5 A.5: the sender pads an odd deflated stream with one NUL on the wire; we keep what
                    // arrived, storescp re-deflates on writing and drops it.
                    want = java.util.Arrays.copyOf(want, want.length + 1);
                }
                assertThat(sha256(ours.dataset())).as("data set bytes of " + uid).isEqualTo(sha256(want));
            }
        }
    }
}
