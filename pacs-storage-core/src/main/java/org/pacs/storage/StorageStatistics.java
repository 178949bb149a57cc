package org.pacs.storage;

/** Spec §2 storage_statistics. */
public record StorageStatistics(long totalInstances, long totalBytes, long studiesCount, long seriesCount,
                                long patientsCount) {

    public static final StorageStatistics EMPTY = new StorageStatistics(0, 0, 0, 0, 0);
}
