package org.pacs.storage.catalog;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.hsm.StorageTier;

/** Builds catalog rows for tests; the sha is derived from the UID so each row is distinct. */
final class CatalogTestData {

    private CatalogTestData() {
    }

    /** A row with exactly {@code attributes} (non-UID indexed attributes by tag). */
    static CatalogEntry row(String uid, String study, String series, Map<Integer, String> attributes) {
        StoredInstance s = new StoredInstance(SopInstanceUid.of(uid), study, series, "1.2.840.10008.5.1.4.1.1.2",
                "1.2.840.10008.1.2.1", 10, sha(uid), Instant.parse("2025-01-01T00:00:00Z"));
        return CatalogEntry.stored(s, attributes, StorageTier.HOT, "hot:test");
    }

    private static String sha(String uid) {
        return String.format("%064x", new java.math.BigInteger(1, uid.getBytes()).mod(
                java.math.BigInteger.TWO.pow(250)));
    }

    static CatalogEntry entry(String uid, String study, String series, String patientId, String patientName,
                              long size, Instant storedAt) {
        Map<Integer, String> a = new HashMap<>();
        if (patientId != null) {
            a.put(Tag.PatientID, patientId);
        }
        if (patientName != null) {
            a.put(Tag.PatientName, patientName);
        }
        a.put(Tag.Modality, "CT");
        a.put(Tag.StudyDate, "20240115");
        String sha = String.format("%064x", new java.math.BigInteger(1, uid.getBytes()).mod(
                java.math.BigInteger.TWO.pow(250)));
        StoredInstance s = new StoredInstance(SopInstanceUid.of(uid), study, series, "1.2.840.10008.5.1.4.1.1.2",
                "1.2.840.10008.1.2.1", size, sha, storedAt);
        return CatalogEntry.stored(s, a, StorageTier.HOT, "hot:test");
    }
}
