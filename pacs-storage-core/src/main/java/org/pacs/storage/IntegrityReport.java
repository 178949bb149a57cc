package org.pacs.storage;

import java.util.List;

/**
 * Result of {@link StorageBackend#verifyIntegrity()}.
 *
 * @param checked   instances whose bytes were read and hashed
 * @param missing   catalogued but absent from the backend
 * @param corrupt   present but whose SHA-256 no longer matches the recorded one
 * @param orphaned  objects the backend holds that the index does not know (keys or paths)
 */
public record IntegrityReport(long checked, List<SopInstanceUid> missing, List<SopInstanceUid> corrupt,
                              List<String> orphaned) {

    public IntegrityReport {
        missing = List.copyOf(missing);
        corrupt = List.copyOf(corrupt);
        orphaned = List.copyOf(orphaned);
    }

    public boolean isClean() {
        return missing.isEmpty() && corrupt.isEmpty() && orphaned.isEmpty();
    }
}
