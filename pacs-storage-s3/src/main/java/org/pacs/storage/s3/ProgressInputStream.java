package org.pacs.storage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.pacs.storage.ProgressListener;

/** Reports bytes read each time another {@code step} bytes went by, and once more at the end. */
final class ProgressInputStream extends FilterInputStream {

    private final long total;
    private final long step;
    private final ProgressListener listener;
    private long done;
    private long nextReport;
    private boolean finished;

    ProgressInputStream(InputStream in, long total, long step, ProgressListener listener) {
        super(in);
        this.total = total;
        this.step = Math.max(1, step);
        this.listener = listener;
        this.nextReport = this.step;
        listener.onProgress(0, total);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        advance(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        advance(n);
        return n;
    }

    private void advance(int n) {
        if (n < 0) {
            if (!finished) {
                finished = true;
                listener.onProgress(done, total);
            }
            return;
        }
        done += n;
        if (done >= nextReport) {
            listener.onProgress(done, total);
            nextReport = (done / step + 1) * step;
        }
    }
}
