package org.pacs.storage.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;

/** Debian's pydicom samples, and how to split a Part 10 file into meta group facts and data set bytes. */
final class Corpus {

    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    /** What a stored or received file holds, for comparing: meta facts and the exact data set bytes. */
    record Received(String sopClass, String sopInstance, String transferSyntax, String sourceAe, byte[] dataset) {
    }

    private Corpus() {
    }

    static boolean present() {
        return Files.isDirectory(PYDICOM);
    }

    /**
     * The storage instances of the corpus (SOP class under 1.2.840.10008.5.1.4.1.1), one file per SOP Instance UID
     * (pydicom reuses UIDs across its variants; the later ones are returned in {@code duplicates}).
     */
    static List<Path> storable(List<Path> duplicates) throws IOException {
        Map<String, Path> byUid = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(PYDICOM)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".dcm")).sorted().toList()) {
                try {
                    DicomFile f = DicomReader.readHeader(p);
                    String cls = f.dataset().getUid(Tag.SOPClassUID).orElse("");
                    String uid = f.dataset().getUid(Tag.SOPInstanceUID).orElse("");
                    if (!cls.startsWith("1.2.840.10008.5.1.4.1.1.") || uid.isEmpty() || f.fileMeta().isEmpty()) {
                        continue;
                    }
                    if (byUid.putIfAbsent(uid, p) != null) {
                        duplicates.add(p);
                    }
                } catch (StorageException e) {
                    // unreadable samples (truncated on purpose) are not storable
                }
            }
        }
        return new ArrayList<>(byUid.values());
    }

    static Received read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        DicomFile meta = DicomReader.readHeader(new java.io.ByteArrayInputStream(all));
        Part10.StoredDataset ds = Part10.openDataset(new java.io.ByteArrayInputStream(all), "");
        return new Received(meta.fileMeta().getUid(Tag.MediaStorageSOPClassUID).orElse(""),
                meta.fileMeta().getUid(Tag.MediaStorageSOPInstanceUID).orElse(""), ds.transferSyntax(),
                meta.fileMeta().getString(Tag.SourceApplicationEntityTitle).orElse(""), ds.dataset().readAllBytes());
    }

    /** Every file a DCMTK storescp wrote, by SOP Instance UID. */
    static Map<String, Received> readAll(Path dir) throws IOException {
        Map<String, Received> out = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    Received r = read(in);
                    out.put(r.sopInstance(), r);
                }
            }
        }
        return out;
    }
}
