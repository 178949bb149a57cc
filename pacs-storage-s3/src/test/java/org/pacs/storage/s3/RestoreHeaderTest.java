package org.pacs.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.pacs.storage.RestoreStatus.State;

/** The two x-amz-restore forms S3 documents for HEAD Object, and the classes that need a restore. */
class RestoreHeaderTest {

    @Test
    void documentedForms() {
        assertThat(RestoreHeader.status(null, null).state()).isEqualTo(State.NOT_ARCHIVED);
        assertThat(RestoreHeader.status("GLACIER_IR", null).state()).isEqualTo(State.NOT_ARCHIVED);
        assertThat(RestoreHeader.status("GLACIER", null).state()).isEqualTo(State.ARCHIVED);
        assertThat(RestoreHeader.status("DEEP_ARCHIVE", "ongoing-request=\"true\"").state())
                .isEqualTo(State.IN_PROGRESS);
        var restored = RestoreHeader.status("GLACIER",
                "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\"");
        assertThat(restored.state()).isEqualTo(State.RESTORED);
        assertThat(restored.expiry()).contains(Instant.parse("2012-12-21T00:00:00Z"));
        assertThat(restored.detail()).contains("expiry-date");
    }
}
