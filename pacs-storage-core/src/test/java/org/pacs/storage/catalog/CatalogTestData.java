package org.pacs.storage.catalog;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.hsm.StorageTier;

/** Builds catalog rows for tests; the sha is derived from the UID so each row is distinct. */
final class CatalogTestData {

    private CatalogTestData() {
    }

    static CatalogEntry entry(String uid, String study, String series, String patientId, String patientName,
                              long size, Instant storedAt) {
        Map<CatalogColumn, String> a = new EnumMap<>(CatalogColumn.class);
        if (patientId != null) {
            a.put(CatalogColumn.PATIENT_ID, patientId);
        }
        if (patientName != null) {
            a.put(CatalogColumn.PATIENT_NAME, patientName);
        }
        a.put(CatalogColumn.MODALITY, "CT");
        a.put(CatalogColumn.STUDY_DATE, "20240115");
        String sha = String.format("%064x", new java.math.BigInteger(1, uid.getBytes()).mod(
                java.math.BigInteger.TWO.pow(250)));
        StoredInstance s = new StoredInstance(SopInstanceUid.of(uid), study, series, "1.2.840.10008.5.1.4.1.1.2",
                "1.2.840.10008.1.2.1", size, sha, storedAt);
        return CatalogEntry.stored(s, a, StorageTier.HOT, "hot:test");
    }
}
