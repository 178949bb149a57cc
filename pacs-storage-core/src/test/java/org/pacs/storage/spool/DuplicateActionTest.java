package org.pacs.storage.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;

class DuplicateActionTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final StoredInstance EXISTING = new StoredInstance(SopInstanceUid.of("1.2.3"), "1.2", "1.2.1", "",
            "", 10, A, Instant.EPOCH);

    @Test
    void nothingStoredMeansStoreWhateverThePolicy() {
        for (DuplicatePolicy p : DuplicatePolicy.values()) {
            assertThat(DuplicateAction.decide(p, null, A)).isEqualTo(DuplicateAction.STORE);
        }
    }

    @Test
    void defaultIgnoresIdenticalAndRejectsDifferent() {
        DuplicatePolicy p = DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT;
        assertThat(DuplicateAction.decide(p, EXISTING, A)).isEqualTo(DuplicateAction.KEEP_EXISTING);
        assertThatThrownBy(() -> DuplicateAction.decide(p, EXISTING, B))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StorageException.Reason.ALREADY_EXISTS);
                    assertThat(e.getMessage()).contains("1.2.3").contains("REPLACE");
                });
    }

    @Test
    void explicitPolicies() {
        assertThatThrownBy(() -> DuplicateAction.decide(DuplicatePolicy.REJECT, EXISTING, A))
                .isInstanceOf(StorageException.class);
        assertThat(DuplicateAction.decide(DuplicatePolicy.IGNORE, EXISTING, B)).isEqualTo(DuplicateAction.KEEP_EXISTING);
        assertThat(DuplicateAction.decide(DuplicatePolicy.REPLACE, EXISTING, B)).isEqualTo(DuplicateAction.REPLACE);
        assertThat(DuplicateAction.decide(DuplicatePolicy.REPLACE, EXISTING, A)).isEqualTo(DuplicateAction.KEEP_EXISTING);
    }
}
