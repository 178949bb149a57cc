package org.pacs.storage.hsm;

/**
 * What group commit did since the archive opened: stores synced and committed, directory-sync rounds and catalog
 * transactions they took, and the most stores one transaction held. Fewer transactions than stores is the
 * grouping at work; benchmarks print it beside their rates.
 */
public record IngestStatistics(long synced, long stores, long syncRounds, long transactions, long largestTransaction) {

    /** Stores per catalog transaction, 0 before the first. */
    public double storesPerTransaction() {
        return transactions == 0 ? 0 : (double) stores / transactions;
    }
}
