package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * 10,000 random corruptions of real pydicom files (fixed seed, so a failure reproduces): byte flips, truncations,
 * length-field edits, inserted and deleted bytes. Each read either succeeds or throws DicomParseException; any other
 * throwable (OutOfMemoryError, an unchecked exception) fails, and the overall time bound catches a hang.
 */
class DicomMutationTest {

    private static final long SEED = 20261128L;
    private static final int MUTATIONS = 10_000;
    /** Long enough for a loaded CI machine; a hang in any single parse would blow it. */
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final long[] NASTY_LENGTHS = {0xFFFFFFFFL, 0xFFFFFFFEL, 0xFFFFFFF0L, 0x7FFFFFFFL, 0x80000000L,
        1, 3, 0xFFFF, 0x10000};

    @Test
    void randomCorruptionsGiveParseErrorsOnly() throws IOException {
        assumeTrue(Samples.corpusPresent(), "python3-pydicom sample data not installed");
        List<byte[]> originals = new ArrayList<>();
        for (Path p : Samples.corpus()) {
            if (Files.size(p) <= 256 * 1024) {
                originals.add(Files.readAllBytes(p));
            }
        }
        assertThat(originals).hasSizeGreaterThan(50);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(BOUND, () -> {
            Random rnd = new Random(SEED);
            for (int i = 0; i < MUTATIONS; i++) {
                byte[] original = originals.get(rnd.nextInt(originals.size()));
                String[] what = new String[1];
                byte[] mutated = mutate(original, rnd, what);
                int mode = i % 4;
                try {
                    switch (mode) {
                        case 0 -> DicomReader.read(new ByteArrayInputStream(mutated));
                        case 1 -> DicomReader.read(new ByteArrayInputStream(mutated), mutated.length, false);
                        case 2 -> DicomReader.readHeader(new ByteArrayInputStream(mutated));
                        default -> DicomReader.read(new ByteArrayInputStream(mutated), mutated.length, true);
                    }
                    outcomes[0]++;
                } catch (DicomParseException e) {
                    assertThat(e.getMessage()).contains("byte offset");
                    // The reader's last-resort net turns stray runtime exceptions into parse errors; the parser
                    // itself must never need it.
                    assertThat(e.getMessage()).as("mutation #%d (%s)", i, what[0]).doesNotContain("unreadable data");
                    outcomes[1]++;
                } catch (Throwable t) {
                    throw new AssertionError("mutation #" + i + " (" + what[0] + ", read mode " + mode
                            + ", seed " + SEED + ") threw " + t, t);
                }
            }
        });
        assertThat(outcomes[0] + outcomes[1]).isEqualTo(MUTATIONS);
        // Both outcomes occur: the mutations reach the parser's error paths and leave some files readable.
        assertThat(outcomes[1]).isGreaterThan(MUTATIONS / 10);
        assertThat(outcomes[0]).isGreaterThan(MUTATIONS / 10);
    }

    private static byte[] mutate(byte[] original, Random rnd, String[] what) {
        byte[] b = original.clone();
        // Most structure lives in the first few KB; aim there half of the time.
        int span = rnd.nextBoolean() ? Math.min(b.length, 4096) : b.length;
        int at = rnd.nextInt(Math.max(1, span));
        switch (rnd.nextInt(6)) {
            case 0 -> {
                int n = 1 + rnd.nextInt(8);
                for (int k = 0; k < n; k++) {
                    b[rnd.nextInt(span)] ^= (byte) (1 << rnd.nextInt(8));
                }
                what[0] = n + " bit flip(s)";
            }
            case 1 -> {
                what[0] = "truncated to " + at;
                return Arrays.copyOf(b, at);
            }
            case 2 -> {
                long v = NASTY_LENGTHS[rnd.nextInt(NASTY_LENGTHS.length)];
                for (int k = 0; k < 4 && at + k < b.length; k++) {
                    b[at + k] = (byte) (v >>> (8 * k));
                }
                what[0] = "32-bit length " + Long.toHexString(v) + " at " + at;
            }
            case 3 -> {
                int v = rnd.nextInt(0x10000);
                for (int k = 0; k < 2 && at + k < b.length; k++) {
                    b[at + k] = (byte) (v >>> (8 * k));
                }
                what[0] = "16-bit value " + v + " at " + at;
            }
            case 4 -> {
                int n = 1 + rnd.nextInt(16);
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at);
                for (int k = 0; k < n; k++) {
                    out[at + k] = (byte) rnd.nextInt(256);
                }
                System.arraycopy(b, at, out, at + n, b.length - at);
                what[0] = n + " byte(s) inserted at " + at;
                return out;
            }
            default -> {
                int n = Math.min(1 + rnd.nextInt(16), b.length - at);
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                what[0] = n + " byte(s) deleted at " + at;
                return out;
            }
        }
        return b;
    }
}
