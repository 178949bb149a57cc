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
                    if (h.get().pixels() != null) {
                        framed++;
                        assertThat(wholeOpens.get()).as(sample + " was opened whole").isEqualTo(before);
                    }
                }
                fs.remove(uid);
            }
        }
        System.out.printf("compared %d samples, %d with a kept header, %d with a frame layout%n", compared, kept,
                framed);
        assertThat(compared).isGreaterThan(50);
        assertThat(kept).isGreaterThan(compared * 9 / 10);
        assertThat(framed).isGreaterThan(30);
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
