package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;

/**
 * C-GET and C-MOVE to peers that accept only some syntaxes: DCMTK's getscu proposing Big Endian or Explicit VR LE
 * first ({@code -xb}, {@code -xe}), and a storescp accepting Implicit VR LE only. Uncompressed instances arrive
 * re-encoded; DCMTK's dcmdump of what arrived equals its dump of DCMTK's own conversion of the original
 * ({@code dcmconv}, group lengths removed and undefined lengths, as we write them), the core reader finds the
 * same elements and values, and pixel data bytes are identical. A compressed instance is not decompressed: its
 * sub-operation fails, saying so.
 */
class TranscodingRetrieveTest extends DimseTestBed {

    /** One sample per stored syntax: Explicit LE, Implicit LE (two), Explicit BE, Deflated, and JPEG 2000. */
    static final List<String> SAMPLES = List.of("CT_small.dcm", "waveform_ecg.dcm", "rtplan.dcm", "rtdose.dcm",
            "liver_expb_1frame.dcm", "image_dfl.dcm", "JPEG2000.dcm");

    final Map<String, Path> source = new LinkedHashMap<>();
    final Map<String, StoredInstance> stored = new HashMap<>();
    Process storescp;
    int storescpPort;

    @BeforeEach
    void fill() throws Exception {
        assumeTrue(Corpus.present() && Dcmtk.available("getscu") && Dcmtk.available("movescu")
                && Dcmtk.available("storescp") && Dcmtk.available("dcmdump") && Dcmtk.available("dcmconv"),
                "DCMTK tools or pydicom samples are missing");
        storescpPort = freePort();
        start(config().withDestinations(Map.of("IMPLICIT", new DimseConfig.Destination("127.0.0.1", storescpPort))));
        for (String f : SAMPLES) {
            StoredInstance i = archive.store(Corpus.PYDICOM.resolve(f));
            source.put(i.sopInstanceUid().value(), Corpus.PYDICOM.resolve(f));
            stored.put(i.sopInstanceUid().value(), i);
        }
        assertThat(stored).hasSize(SAMPLES.size());
    }

    @AfterEach
    void stopStorescp() throws InterruptedException {
        if (storescp != null) {
            storescp.destroy();
            storescp.waitFor();
        }
    }

    private String studies() {
        return String.join("\\", stored.values().stream().map(StoredInstance::studyInstanceUid).distinct().toList());
    }

    private String uidOf(String sample) {
        return source.entrySet().stream().filter(e -> e.getValue().getFileName().toString().equals(sample))
                .findFirst().orElseThrow().getKey();
    }

    @Test
    void getscuPreferringBigEndianGetsEveryUncompressedInstanceAsExplicitLittleEndian() throws Exception {
        // -xb: each storage context lists Big Endian first; we pick its Little Endian proposal, which every
        // uncompressed instance can be sent in. (getscu 3.6.7 cannot propose Implicit VR only: its +xi proposes
        // Explicit VR LE; the Implicit VR target is covered by the storescp +xi test below.)
        Path out = Files.createDirectories(dir.resolve("big"));
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("getscu", "-v", "-S", "-xb", "+B", "-aec", "PACS", "-od", out.toString(),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studies(), "127.0.0.1", port()));
        assertArrived(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, "+te");
        assertThat(r.output()).contains("Warning: SubOperationsCompleteOneOrMoreFailures");
        assertThat(events).filteredOn(e -> e.operation().equals("C-GET")).singleElement().satisfies(e -> {
            assertThat(e.completed()).isEqualTo(SAMPLES.size() - 1);
            assertThat(e.failed()).isEqualTo(1);
        });
    }

    @Test
    void getscuPreferringExplicitGetsTheImplicitBigEndianAndDeflatedOnesAsExplicitLittleEndian() throws Exception {
        Path out = Files.createDirectories(dir.resolve("explicit"));
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("getscu", "-v", "-S", "-xe", "+B", "-aec", "PACS", "-od", out.toString(),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studies(), "127.0.0.1", port()));
        assertThat(r.output()).contains("Warning: SubOperationsCompleteOneOrMoreFailures");
        assertArrived(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, "+te");
    }

    @Test
    void movescuToAnImplicitOnlyStorescpGetsEveryUncompressedInstanceReencoded() throws Exception {
        Path out = Files.createDirectories(dir.resolve("storescp"));
        storescp = Dcmtk.start(Dcmtk.cmd("storescp", "-v", "+xi", "+B", "-aet", "IMPLICIT", "-od", out.toString(),
                Integer.toString(storescpPort)), dir, dir.resolve("storescp.log"));
        Awaitility.await().ignoreExceptions().until(() -> {
            new java.net.Socket("127.0.0.1", storescpPort).close();
            return true;
        });
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("movescu", "-v", "-S", "-aec", "PACS", "-aem", "IMPLICIT",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studies(), "127.0.0.1", port()));
        assertThat(r.output()).contains("Final Move Response (Warning: SubOperationsCompleteOneOrMoreFailures)");
        assertArrived(out, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, "+ti");
        assertThat(events).filteredOn(e -> e.operation().equals("C-MOVE")).singleElement().satisfies(e -> {
            assertThat(e.completed()).isEqualTo(SAMPLES.size() - 1);
            assertThat(e.failed()).isEqualTo(1);
        });
    }

    @Test
    void aStoredInstanceThatEndsMidwayIsNeverDeliveredAsAWholeOne() throws Exception {
        // A fake only for the fault: a blob cut short under the archive cannot be produced through its API.
        // open() gives 60% of CT_small's bytes, which the re-encoding into Implicit VR runs out of midway.
        String ct = uidOf("CT_small.dcm");
        server.close();
        start(server.config(), new org.pacs.storage.ForwardingStorageBackend(archive) {
            @Override
            public java.io.InputStream open(org.pacs.storage.SopInstanceUid uid) {
                java.io.InputStream whole = super.open(uid);
                if (!uid.value().equals(ct)) {
                    return whole;
                }
                try (whole) {
                    byte[] all = whole.readAllBytes();
                    return new java.io.ByteArrayInputStream(java.util.Arrays.copyOf(all, all.length * 6 / 10));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
            }
        });
        Path out = Files.createDirectories(dir.resolve("cut"));
        // without +B storescp writes an instance only once it has all of it
        storescp = Dcmtk.start(Dcmtk.cmd("storescp", "-v", "+xi", "-aet", "IMPLICIT", "-od", out.toString(),
                Integer.toString(storescpPort)), dir, dir.resolve("storescp-cut.log"));
        Awaitility.await().ignoreExceptions().until(() -> {
            new java.net.Socket("127.0.0.1", storescpPort).close();
            return true;
        });
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("movescu", "-v", "-S", "-aec", "PACS", "-aem", "IMPLICIT",
                "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + stored.get(ct).studyInstanceUid(),
                "-k", "SOPInstanceUID=" + ct, "127.0.0.1", port()));
        assertThat(r.output()).as(r.output()).contains("Final Move Response (Refused: OutOfResourcesSubOperations)")
                .doesNotContain("(Success)");
        try (Stream<Path> s = Files.walk(out)) {
            assertThat(s.filter(Files::isRegularFile).toList()).as("nothing stored at the destination").isEmpty();
        }
        assertThat(events).filteredOn(e -> e.operation().equals("C-MOVE")).singleElement()
                .satisfies(e -> assertThat(e.failed()).isEqualTo(1));
    }

    /** Every sample but the JPEG 2000 one arrived in {@code syntax}, equal to the original by every measure. */
    private Map<String, Path> assertArrived(Path out, String syntax, String dcmconvOption) throws Exception {
        Map<String, Path> got = new HashMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                got.put(DicomReader.readHeader(p).fileMeta().getUid(Tag.MediaStorageSOPInstanceUID).orElse(""), p);
            }
        }
        List<String> expected = new ArrayList<>(source.keySet());
        expected.remove(uidOf("JPEG2000.dcm"));
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        int reencoded = 0;
        for (String uid : expected) {
            Path original = source.get(uid);
            Path received = got.get(uid);
            String what = original.getFileName() + " as " + syntax;
            DicomFile a = DicomReader.read(original);
            DicomFile b = DicomReader.read(received);
            assertThat(b.transferSyntaxUid()).as(what).isEqualTo(syntax);
            Equivalence.assertSame(a.dataset(), b.dataset(), what);
            if (a.dataset().contains(Tag.PixelData)) {
                assertThat(b.dataset().get(Tag.PixelData).orElseThrow().bytes()).as(what + " pixel data")
                        .isEqualTo(a.dataset().get(Tag.PixelData).orElseThrow().bytes());
            }
            if (stored.get(uid).transferSyntaxUid().equals(syntax)) {
                // sent as stored: byte for byte the stored data set
                try (var mine = archive.open(stored.get(uid).sopInstanceUid());
                     var theirs = Files.newInputStream(received)) {
                    assertThat(Corpus.read(theirs).dataset()).as(what + " bytes").isEqualTo(Corpus.read(mine).dataset());
                }
                continue;
            }
            Path reference = dir.resolve("dcmconv-" + original.getFileName());
            Dcmtk.Result conv = Dcmtk.run(Dcmtk.cmd("dcmconv", dcmconvOption, "-g", "-e", original.toString(),
                    reference.toString()));
            assertThat(conv.exit()).as(conv.output()).isZero();
            assertThat(dump(received)).as(what + " dcmdump").isEqualTo(dump(reference));
            reencoded++;
        }
        assertThat(reencoded).as("re-encoded instances").isGreaterThanOrEqualTo(3);
        return got;
    }

    /** dcmdump of the data set (the meta group differs by who wrote the file). */
    private static List<String> dump(Path file) throws Exception {
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("dcmdump", "-q", "+L", "-M", file.toString()));
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().lines().filter(l -> !l.startsWith("(0002,") && !l.startsWith("#")
                && !l.isBlank()).toList();
    }
}
