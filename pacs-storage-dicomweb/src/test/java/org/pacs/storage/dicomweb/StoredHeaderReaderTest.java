package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredHeader;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.SupportsStoredHeaders;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.testkit.DicomSamples;

/**
 * Every storable pydicom sample, read both ways: the metadata JSON and every frame (or the same refusal) from
 * the kept header and ranged reads equal what {@link ArchiveReader} gives from the stored bytes, and the kept
 * path never opens a whole instance.
 */
class StoredHeaderReaderTest {

    @TempDir
    Path dir;

    @Test
    void keptHeadersAnswerExactlyAsTheStoredBytesDo() throws Exception {
        DicomSamples.assumeAvailable();
        AtomicInteger wholeOpens = new AtomicInteger();
        int kept = 0;
        int framed = 0;
        int compared = 0;
        int elided = 0;
        try (FileStorage fs = new FileStorage(FileStorageConfig.of(dir.resolve("archive")))) {
            ArchiveReader plain = new ArchiveReader(fs);
            // the kept path's fallback counts whole-instance opens: there must be none where a header was kept
            StoredHeaderReader keptReader = new StoredHeaderReader(fs, new ArchiveReader(
                    new ForwardingStorageBackend(fs) {
                        @Override
                        public InputStream open(SopInstanceUid uid) {
                            wholeOpens.incrementAndGet();
                            return super.open(uid);
                        }
                    }));
            for (Path sample : DicomSamples.storable()) {
                StoredInstance s;
                try {
                    s = fs.store(sample);
                } catch (StorageException e) {
                    continue;
                }
                SopInstanceUid uid = s.sopInstanceUid();
                Optional<StoredHeader> h = fs.storedHeader(uid);
                if (!s.sha256().equals(fs.describe(uid).orElseThrow().sha256())) {
                    continue; // another sample with the same SOP Instance UID was kept
                }
                compared++;
                int before = wholeOpens.get();
                assertThat(json(keptReader.header(uid))).as(sample.toString()).isEqualTo(json(plain.header(uid)));
                int frames = Math.max(1, fs.retrieve(uid).getInt(Tag.NumberOfFrames).orElse(1));
                List<Integer> all = IntStream.rangeClosed(1, Math.min(frames, 50)).boxed()
                        .sorted((a, b) -> b - a).toList();
                assertThat(cut(keptReader, uid, all)).as(sample + " frames").isEqualTo(cut(plain, uid, all));
                if (h.isPresent()) {
                    kept++;
                    elided += h.get().elided().isEmpty() ? 0 : 1;
                    if (h.get().pixels() != null) {
                        framed++;
                        assertThat(wholeOpens.get()).as(sample + " was opened whole").isEqualTo(before);
                    }
                }
                fs.remove(uid);
            }
        }
        System.out.printf("compared %d samples, %d with a kept header (%d with values elided), %d with a frame"
                + " layout%n", compared, kept, elided, framed);
        assertThat(compared).isGreaterThan(50);
        assertThat(kept).isGreaterThan(compared * 9 / 10);
        assertThat(framed).isGreaterThan(30);
    }

    @Test
    void elidedValuesAreBulkDataUrisAsTheirFullValuesAreAndFramesStillLineUp() throws Exception {
        org.pacs.storage.dicom.DicomDataset d = RangedFramesTest.multiFrame();
        d.set(0x00090010, org.pacs.storage.dicom.VR.LO, "TEST CREATOR");
        d.setBytes(0x00091010, org.pacs.storage.dicom.VR.OB, new byte[5000]);
        d.setBytes(0x00091011, org.pacs.storage.dicom.VR.OB, new byte[900]); // inline, kept
        d.setBytes(0x60003000, org.pacs.storage.dicom.VR.OW, new byte[2048]);
        byte[] bytes = org.pacs.storage.dicom.DicomWriter.toBytes(d,
                org.pacs.storage.dicom.TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        try (FileStorage fs = new FileStorage(FileStorageConfig.of(dir.resolve("archive")))) {
            SopInstanceUid uid = fs.store(new java.io.ByteArrayInputStream(bytes)).sopInstanceUid();
            StoredHeader h = fs.storedHeader(uid).orElseThrow();
            assertThat(h.elided()).extracting(StoredHeader.Elided::tag).containsExactly(0x00091010, 0x60003000);
            ArchiveReader plain = new ArchiveReader(fs);
            StoredHeaderReader kept = new StoredHeaderReader(fs, plain);
            String json = json(kept.header(uid));
            // private elements of an implicit-VR file are UN
            assertThat(json).isEqualTo(json(plain.header(uid)))
                    .contains("\"00091010\":{\"vr\":\"UN\",\"BulkDataURI\"")
                    .contains("\"60003000\":{\"vr\":\"OW\",\"BulkDataURI\"")
                    .contains("\"00091011\":{\"vr\":\"UN\",\"InlineBinary\"");
            List<Integer> some = List.of(24, 1, 2, 13);
            assertThat(cut(kept, uid, some)).isEqualTo(cut(plain, uid, some)).hasSize(4);
        }
    }

    private static String json(InstanceHeader h) throws Exception {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new ObjectMapper().getFactory().createGenerator(w)) {
            DicomJson.write(g, h.attributes(), tag -> "bulk/" + DicomJson.key(tag), h.bulkData());
        }
        return w.toString();
    }

    /** The frames as bytes, or what refused them (status and message). */
    private static List<String> cut(FrameSource source, SopInstanceUid uid, List<Integer> numbers) {
        List<String> out = new ArrayList<>();
        try {
            source.frames(uid, numbers, (n, length, bytes) -> {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                bytes.transferTo(b);
                assertThat(b.size()).isEqualTo(length);
                out.add(n + ":" + java.util.HexFormat.of().formatHex(sha(b.toByteArray())));
            });
        } catch (HttpError e) {
            out.add("HTTP " + e.status() + " " + e.getMessage());
        } catch (StorageException e) {
            out.add(e.reason() + " " + e.getMessage());
        } catch (java.io.IOException e) {
            out.add("IO " + e.getMessage());
        }
        return out;
    }

    private static byte[] sha(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
