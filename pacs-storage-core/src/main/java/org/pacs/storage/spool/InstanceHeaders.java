package org.pacs.storage.spool;

import java.time.Instant;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.query.IndexedAttributes;

/**
 * Turns a parsed header into what an index keeps. The one place that decides which UIDs an instance must
 * carry, so ingest, index rebuilds and every backend agree on what is storable.
 */
public final class InstanceHeaders {

    private InstanceHeaders() {
    }

    /** The SOP Instance UID of a header: the dataset's, else the meta group's copy; validated. */
    public static SopInstanceUid sopInstanceUid(DicomFile header) {
        String uid = header.dataset().getUid(Tag.SOPInstanceUID)
                .or(() -> header.fileMeta().getUid(Tag.MediaStorageSOPInstanceUID))
                .orElseThrow(() -> StorageException.invalidInput("The instance has no SOP Instance UID (0008,0018);"
                        + " set one (e.g. a fresh 2.25 UID) before storing it."));
        return SopInstanceUid.of(uid);
    }

    /** Builds the index record; raises INVALID_INPUT naming the missing or malformed UID. */
    public static StoredInstance describe(DicomFile header, long sizeBytes, String sha256, Instant storedAt) {
        return describe(header, sizeBytes, sha256, StoredInstance.NO_CRC32C, storedAt);
    }

    /** As above, with the CRC32C the spooler took beside the SHA-256. */
    public static StoredInstance describe(DicomFile header, long sizeBytes, String sha256, long crc32c,
                                          Instant storedAt) {
        SopInstanceUid sop = sopInstanceUid(header);
        DicomDataset ds = header.dataset();
        String study = SopInstanceUid.requireValidUid(ds.getUid(Tag.StudyInstanceUID).orElse(null),
                "Study Instance UID (0020,000D) of instance " + sop);
        String series = SopInstanceUid.requireValidUid(ds.getUid(Tag.SeriesInstanceUID).orElse(null),
                "Series Instance UID (0020,000E) of instance " + sop);
        String sopClass = ds.getUid(Tag.SOPClassUID)
                .or(() -> header.fileMeta().getUid(Tag.MediaStorageSOPClassUID)).orElse("");
        return new StoredInstance(sop, study, series, sopClass, header.transferSyntaxUid(), sizeBytes, sha256,
                storedAt, crc32c);
    }

    /**
     * The indexed attributes, with the three identifying UIDs taken from {@code instance} so the index
     * always agrees with the record (the meta-group fallback and UID padding included).
     */
    public static DicomDataset attributes(DicomFile header, StoredInstance instance) {
        DicomDataset a = IndexedAttributes.extract(header.dataset());
        a.setString(Tag.SOPInstanceUID, instance.sopInstanceUid().value());
        a.setString(Tag.StudyInstanceUID, instance.studyInstanceUid());
        a.setString(Tag.SeriesInstanceUID, instance.seriesInstanceUid());
        if (!instance.sopClassUid().isEmpty()) {
            a.setString(Tag.SOPClassUID, instance.sopClassUid());
        }
        return a;
    }
}
