package org.pacs.storage.azure;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.testkit.SyntheticInstances;

/** Thin helpers over the testkit's {@link SyntheticInstances} for this module's tests. */
final class TestInstances {

    private TestInstances() {
    }

    static DicomDataset dataset(String study, String series, String sop, String patientName) {
        return SyntheticInstances.header("PID-" + Math.abs(patientName.hashCode()), patientName, study, series, sop,
                "CT", "20240101");
    }

    static DicomDataset dataset(String patientName) {
        return dataset(UidGenerator.newUid(), UidGenerator.newUid(), UidGenerator.newUid(), patientName);
    }

    /** A generated Part 10 stream that also hashes what it hands out. */
    static GeneratedStream large(DicomDataset header, long pixelBytes, long seed) {
        return new GeneratedStream(SyntheticInstances.stream(header, pixelBytes, seed));
    }

    static final class GeneratedStream extends FilterInputStream {
        private final MessageDigest md;

        private GeneratedStream(InputStream in) {
            this(in, newSha256());
        }

        private GeneratedStream(InputStream in, MessageDigest md) {
            super(new DigestInputStream(in, md));
            this.md = md;
        }

        /** Valid once the stream was read to its end. */
        String sha256Hex() {
            return HexFormat.of().formatHex(md.digest());
        }
    }

    static String sha256(InputStream in) {
        try (in) {
            return Digests.sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
