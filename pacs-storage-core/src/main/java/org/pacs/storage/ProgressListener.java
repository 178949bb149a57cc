package org.pacs.storage;

/** Told how far a transfer has got; {@code totalBytes} is -1 when unknown. Must be cheap and thread-safe. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (done, total) -> { };

    void onProgress(long bytesDone, long totalBytes);
}
