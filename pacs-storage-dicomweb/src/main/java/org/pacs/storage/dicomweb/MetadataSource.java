package org.pacs.storage.dicomweb;

import org.pacs.storage.SopInstanceUid;

/**
 * Where WADO-RS /metadata gets an instance's attributes. The first implementation ({@link ArchiveReader}) reads
 * the instance's header through {@code StorageBackend.open}; a catalog that keeps headers at ingest can answer
 * without touching a tier by implementing this one method.
 */
public interface MetadataSource {

    /** The attributes of a stored instance; StorageException NOT_FOUND or ARCHIVED as the archive raises them. */
    InstanceHeader header(SopInstanceUid uid);

    /**
     * The headers of many instances of one study (of one series when {@code series} is not null) at once, by UID;
     * those left out are read one by one through {@link #header}. The default gives none.
     */
    default java.util.Map<SopInstanceUid, InstanceHeader> headers(String study, String series,
                                                                 java.util.List<SopInstanceUid> instances) {
        return java.util.Map.of();
    }
}
