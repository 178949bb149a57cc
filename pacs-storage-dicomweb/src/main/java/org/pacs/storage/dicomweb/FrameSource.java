package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.pacs.storage.SopInstanceUid;

/**
 * Where WADO-RS /frames gets pixel data frames. The first implementation ({@link ArchiveReader}) streams the
 * instance through {@code StorageBackend.open} and skips to each frame; one that keeps an offset map at ingest
 * can serve a frame with a ranged read of its bytes only.
 */
public interface FrameSource {

    /** Receives the frames in the order asked; {@code bytes} is valid only during the call. */
    interface FrameSink {
        void frame(int number, long length, InputStream bytes) throws IOException;
    }

    /**
     * Sends frames {@code numbers} (1-based, in this order) to {@code sink}. A number past the instance's frame
     * count raises HttpError 404 before anything is sent.
     */
    void frames(SopInstanceUid uid, List<Integer> numbers, FrameSink sink) throws IOException;
}
