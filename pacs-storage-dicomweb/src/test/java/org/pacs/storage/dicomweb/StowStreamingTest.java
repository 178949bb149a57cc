package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.testkit.ForkedJvm;

/** A STOW body much larger than the heap streams into the archive: the server never holds a part in memory. */
class StowStreamingTest {

    @Test
    void storesAnInstanceFiveTimesLargerThanTheHeap(@TempDir Path dir) {
        long pixels = 320L * 1024 * 1024;
        ForkedJvm.Result r = ForkedJvm.run(LargeStowMain.class, List.of("-Xmx64m"),
                List.of(Long.toString(pixels), dir.toString()), Duration.ofMinutes(4));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("OK bytes=");
    }
}
