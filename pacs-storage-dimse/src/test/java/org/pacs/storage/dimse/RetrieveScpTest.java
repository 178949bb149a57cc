package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.TransferSyntax;

/** C-GET (getscu) and C-MOVE (movescu to a DCMTK storescp started here): what arrives equals what is stored. */
class RetrieveScpTest extends DimseTestBed {

    List<StoredInstance> stored = new ArrayList<>();
    Process storescp;
    Path received;
    int storescpPort;

    @BeforeEach
    void fill() throws Exception {
        assumeTrue(Dcmtk.available("getscu") && Dcmtk.available("movescu") && Dcmtk.available("storescp")
                && Corpus.present(), "DCMTK getscu/movescu/storescp or pydicom samples are missing");
        storescpPort = freePort();
        start(config().withDestinations(Map.of("STORESCP", new DimseConfig.Destination("127.0.0.1", storescpPort))));
        for (Path p : Corpus.storable(new ArrayList<>())) {
            try {
                stored.add(archive.store(p));
            } catch (StorageException e) {
                // samples the archive refuses are not retrieved either
            }
        }
        assertThat(stored).hasSizeGreaterThan(25);
    }

    @AfterEach
    void stopStorescp() throws InterruptedException {
        if (storescp != null) {
            storescp.destroy();
            storescp.waitFor();
        }
    }

    private void startStorescp() throws Exception {
        received = Files.createDirectories(dir.resolve("storescp"));
        // +B: written exactly as received, so the comparison sees our bytes, not DCMTK's re-encoding of them.
        storescp = Dcmtk.start(Dcmtk.cmd("storescp", "-v", "+xa", "+B", "-aet", "STORESCP", "-od", received.toString(),
                Integer.toString(storescpPort)), dir, dir.resolve("storescp.log"));
        org.awaitility.Awaitility.await().ignoreExceptions().until(() -> {
            new java.net.Socket("127.0.0.1", storescpPort).close();
            return true;
        });
    }

    private Corpus.Received ours(String uid) throws Exception {
        try (InputStream in = archive.open(SopInstanceUid.of(uid))) {
            return Corpus.read(in);
        }
    }

    private void assertReceivedEqualStored(Map<String, Corpus.Received> got, Set<String> uids) throws Exception {
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(uids);
        for (String uid : uids) {
            Corpus.Received mine = ours(uid);
            Corpus.Received theirs = got.get(uid);
            assertThat(theirs.transferSyntax()).as(uid).isEqualTo(mine.transferSyntax());
            byte[] want = mine.dataset();
            if ((want.length & 1) != 0 && mine.transferSyntax().equals(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
                // an odd deflated stream travels with the one trailing NUL PS3.5 A.5 prescribes
                want = java.util.Arrays.copyOf(want, want.length + 1);
            }
            assertThat(StoreScpTest.sha256(theirs.dataset())).as("data set of " + uid)
                    .isEqualTo(StoreScpTest.sha256(want));
        }
    }

    private Set<String> uidsOfSyntax(boolean nativeOnly) {
        Set<String> out = new LinkedHashSet<>();
        for (StoredInstance i : stored) {
            boolean n = !TransferSyntax.isEncapsulated(i.transferSyntaxUid());
            if (!nativeOnly || n && !i.transferSyntaxUid().equals(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
                out.add(i.sopInstanceUid().value());
            }
        }
        return out;
    }

    private String studies(Set<String> uids) {
        Set<String> s = new LinkedHashSet<>();
        stored.stream().filter(i -> uids.contains(i.sopInstanceUid().value())).forEach(i -> s.add(i.studyInstanceUid()));
        return String.join("\\", s);
    }

    @Test
    void movescuToStorescpBringsEveryInstanceAsStored() throws Exception {
        startStorescp();
        Set<String> all = uidsOfSyntax(false);
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("movescu", "-v", "-S", "-aec", "PACS", "-aem", "STORESCP",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studies(all), "127.0.0.1", port()));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("Received Final Move Response (Success)");
        assertReceivedEqualStored(Corpus.readAll(received), all);
        assertThat(events).filteredOn(e -> e.operation().equals("C-MOVE")).singleElement().satisfies(e -> {
            assertThat(e.completed()).isEqualTo(all.size());
            assertThat(e.failed()).isZero();
        });
    }

    @Test
    void movescuAtSeriesAndImageLevelInThePatientRoot() throws Exception {
        startStorescp();
        StoredInstance one = stored.get(0);
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("movescu", "-v", "-P", "-aec", "PACS", "-aem", "STORESCP",
                "-k", "QueryRetrieveLevel=IMAGE", "-k", "PatientID=", "-k", "StudyInstanceUID=" + one.studyInstanceUid(),
                "-k", "SeriesInstanceUID=" + one.seriesInstanceUid(), "-k", "SOPInstanceUID=" + one.sopInstanceUid(),
                "127.0.0.1", port()));
        assertThat(r.output()).contains("Received Final Move Response (Success)");
        assertReceivedEqualStored(Corpus.readAll(received), Set.of(one.sopInstanceUid().value()));
    }

    @Test
    void unknownMoveDestinationIsRefused() throws Exception {
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("movescu", "-v", "-S", "-aec", "PACS", "-aem", "NOWHERE",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + stored.get(0).studyInstanceUid(),
                "127.0.0.1", port()));
        assertThat(r.output()).contains("Final Move Response (Refused: MoveDestinationUnknown)");
    }

    @Test
    void unreachableDestinationFailsEverySubOperation() throws Exception {
        // storescp not started: the port refuses the connection
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("movescu", "-v", "-S", "-aec", "PACS", "-aem", "STORESCP",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + stored.get(0).studyInstanceUid(),
                "127.0.0.1", port()));
        assertThat(r.output()).contains("Final Move Response (Refused: OutOfResourcesSubOperations)");
        assertThat(events).filteredOn(e -> e.operation().equals("C-MOVE")).singleElement()
                .satisfies(e -> assertThat(e.failed()).isPositive());
    }

    @Test
    void getscuBringsBackTheUncompressedOnesAndListsTheOthersAsFailed() throws Exception {
        Path out = Files.createDirectories(dir.resolve("getscu"));
        Set<String> all = uidsOfSyntax(false);
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("getscu", "-v", "-S", "+B", "-aec", "PACS", "-od", out.toString(),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studies(all), "127.0.0.1", port()));
        Map<String, Corpus.Received> got = Corpus.readAll(out);
        // getscu proposes uncompressed syntaxes only (peers notes), one context per class with explicit LE first,
        // which we accept: the explicit LE ones come as stored, the other uncompressed ones re-encoded into it,
        // the compressed ones fail (never decompressed).
        Set<String> asStored = new LinkedHashSet<>();
        Set<String> reencoded = new LinkedHashSet<>();
        for (String uid : all) {
            String ts = archive.describe(SopInstanceUid.of(uid)).orElseThrow().transferSyntaxUid();
            if (ts.equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)) {
                asStored.add(uid);
            } else if (!TransferSyntax.isEncapsulated(ts)) {
                reencoded.add(uid);
            }
        }
        assertThat(reencoded).hasSizeGreaterThanOrEqualTo(3); // implicit, big endian, deflated
        Map<String, Corpus.Received> plain = new java.util.HashMap<>(got);
        plain.keySet().retainAll(asStored);
        assertReceivedEqualStored(plain, asStored);
        Set<String> arrived = new LinkedHashSet<>(got.keySet());
        arrived.removeAll(asStored);
        assertThat(arrived).containsExactlyInAnyOrderElementsOf(reencoded);
        for (String uid : reencoded) {
            Corpus.Received theirs = got.get(uid);
            assertThat(theirs.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            Corpus.Received mine = ours(uid);
            Equivalence.assertSame(Part10.parseDataset(mine.dataset(), mine.transferSyntax()),
                    Part10.parseDataset(theirs.dataset(), theirs.transferSyntax()), uid);
        }
        assertThat(r.output()).contains("Received C-GET Response (Warning: SubOperationsCompleteOneOrMoreFailures)");
        int expected = asStored.size() + reencoded.size();
        assertThat(events).filteredOn(e -> e.operation().equals("C-GET")).singleElement().satisfies(e -> {
            assertThat(e.completed()).isEqualTo(expected);
            assertThat(e.failed()).isEqualTo(all.size() - expected);
        });
    }

    @Test
    void archivedInstanceFailsItsSubOperationSayingARestoreWasRequested() throws Exception {
        startStorescp();
        StoredInstance cold = stored.get(0);
        // A fake only for the fault: no archive tier (S3 GLACIER) runs here; HsmStorage.open raises exactly this
        // after requesting the restore.
        server.close();
        start(server.config(), new ForwardingStorageBackend(archive) {
            @Override
            public InputStream open(SopInstanceUid uid) {
                if (uid.equals(cold.sopInstanceUid())) {
                    throw new StorageException(StorageException.Reason.ARCHIVED, "archived; restore IN_PROGRESS");
                }
                return super.open(uid);
            }

            @Override
            public void close() {
            }
        });
        Set<String> study = new LinkedHashSet<>();
        stored.stream().filter(i -> i.studyInstanceUid().equals(cold.studyInstanceUid()))
                .forEach(i -> study.add(i.sopInstanceUid().value()));
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("movescu", "-v", "-d", "-S", "-aec", "PACS", "-aem", "STORESCP",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + cold.studyInstanceUid(),
                "127.0.0.1", port()));
        assertThat(r.output()).contains("restore requested").contains(cold.sopInstanceUid().value());
        study.remove(cold.sopInstanceUid().value());
        assertReceivedEqualStored(Corpus.readAll(received), study);
    }
}
