package org.pacs.storage;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * An optional ability of a backend: it kept each instance's header (and where its frames lie) at ingest, in its
 * catalog, so metadata is answered without any request to the tier that holds the bytes (also when that tier is
 * an archive class or unreachable), and a frame is read with one ranged read. An instance whose header was not
 * kept (too large, stored before headers were kept, catalogued by a rebuild from an archived blob) has none: the
 * caller reads the stored bytes then.
 */
public interface SupportsStoredHeaders {

    /** The kept header of a stored instance; empty when none was kept or the instance is not stored. */
    Optional<StoredHeader> storedHeader(SopInstanceUid uid);

    /**
     * The kept headers of a study's instances (of one series when {@code seriesInstanceUid} is not null), in one
     * catalog query; instances without a kept header are absent from the answer.
     */
    Map<SopInstanceUid, StoredHeader> storedHeaders(String studyInstanceUid, String seriesInstanceUid);

    /** {@code length} bytes of the stored instance from {@code offset}: one ranged read of its tier. */
    InputStream open(SopInstanceUid uid, long offset, long length);
}
