package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomReaderTest {

    @TempDir
    Path tmp;

    @Test
    void headerModeStopsBeforePixelDataAndLeavesAMarkableStreamAtItsTag() throws IOException {
        byte[] bytes = DicomWriter.toBytes(Samples.ct(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(bytes), 8);

        DicomFile header = DicomReader.readHeader(in);

        assertThat(header.dataset().contains(Tag.PixelData)).isFalse();
        assertThat(header.dataset().getUid(Tag.SOPInstanceUID)).contains("1.2.3.4.5.6.7");
        byte[] next = in.readNBytes(4);
        assertThat(next).containsExactly(0xE0, 0x7F, 0x10, 0x00);
        assertThat(bytes.length - header.headerLength()).isEqualTo(12 + 8);
        assertThat(Arrays.copyOfRange(bytes, (int) header.headerLength(), (int) header.headerLength() + 4))
                .containsExactly(0xE0, 0x7F, 0x10, 0x00);
    }

    @Test
    void headerOfATwoGigabyteInstanceReadsOnlyItsHeaderBytes() throws IOException {
        DicomDataset ds = Samples.ct().remove(Tag.PixelData);
        byte[] head = DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        long pixelLength = 2L * 1024 * 1024 * 1024;
        Path big = tmp.resolve("big.dcm");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(head);
            f.write(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0});
            f.write(new byte[] {0, 0, 0, (byte) 0x80});
            f.setLength(f.getFilePointer() + pixelLength); // sparse: costs no disk
        }

        DicomFile fromPath = DicomReader.readHeader(big);
        assertThat(fromPath.dataset()).isEqualTo(ds);
        assertThat(fromPath.headerLength()).isEqualTo(head.length);

        try (CountingStream in = new CountingStream(Files.newInputStream(big))) {
            DicomFile fromStream = DicomReader.readHeader(in);
            assertThat(fromStream.dataset()).isEqualTo(ds);
            // Without mark support the stream stands just past the 4 tag bytes, never further.
            assertThat(in.count).isEqualTo(head.length + 4);
        }
    }

    @Test
    void aForkedJvmWith32MbOfHeapIndexesATwoGigabyteInstance() throws Exception {
        DicomDataset ds = Samples.ct().remove(Tag.PixelData);
        byte[] head = DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Path big = tmp.resolve("big-forked.dcm");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(head);
            f.write(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0, 0, 0, 0, (byte) 0x80});
            f.setLength(f.getFilePointer() + (2L << 30));
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                HeaderProbe.class.getName(), big.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] f = out.split(" ");
        assertThat(f[0]).isEqualTo("1.2.3.4.5.6.7");
        assertThat(Long.parseLong(f[1])).isEqualTo(head.length);
        assertThat(Long.parseLong(f[2])).isLessThanOrEqualTo(64L << 20);
    }

    @Test
    void fullReadKeepsPixelDataAndReportsTheEnd() {
        byte[] bytes = DicomWriter.toBytes(Samples.ct(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        DicomFile f = DicomReader.read(new ByteArrayInputStream(bytes));
        assertThat(f.dataset().get(Tag.PixelData).orElseThrow().bytes()).containsExactly(1, 0, 2, 0, 3, 0, 4, 0);
        assertThat(f.headerLength()).isEqualTo(bytes.length);
    }

    @Test
    void readsFromPathLikeFromStream() throws IOException {
        Path p = tmp.resolve("ct.dcm");
        Files.write(p, DicomWriter.toBytes(Samples.ct(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        assertThat(DicomReader.read(p).dataset()).isEqualTo(Samples.ct());
        assertThat(DicomReader.readHeader(p).dataset()).isEqualTo(Samples.ct().remove(Tag.PixelData));
    }

    @Test
    void requireSopInstanceUidReturnsTheValidatedUid() {
        DicomFile f = DicomReader.read(new ByteArrayInputStream(
                DicomWriter.toBytes(Samples.ct(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        assertThat(DicomReader.requireSopInstanceUid(f).value()).isEqualTo("1.2.3.4.5.6.7");
    }

    @Test
    void detectsSyntaxWithoutPreambleOrMetaGroup() {
        byte[] explicit = DicomWriter.toBytes(Samples.ct(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] implicit = DicomWriter.toBytes(Samples.ct(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);

        DicomFile noPreamble = DicomReader.read(new ByteArrayInputStream(Arrays.copyOfRange(explicit, 128,
                explicit.length)));
        assertThat(noPreamble.dataset()).isEqualTo(Samples.ct());
        assertThat(noPreamble.fileMeta().getUid(Tag.TransferSyntaxUID)).contains(
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        for (byte[] file : List.of(explicit, implicit)) {
            byte[] bare = Arrays.copyOfRange(file, metaEnd(file), file.length);
            DicomFile f = DicomReader.read(new ByteArrayInputStream(bare));
            assertThat(f.fileMeta().isEmpty()).isTrue();
            assertThat(f.transferSyntaxUid()).isEqualTo(file == explicit ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN
                    : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
            assertThat(f.dataset()).isEqualTo(Samples.ct());
        }
    }

    @Test
    void privateTransferSyntaxIsDetectedFromTheBytesAndReportedAsDeclared() {
        byte[] implicit = DicomWriter.toBytes(Samples.ct(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        String vendor = "1.2.840.113619.52"; // same length as "1.2.840.10008.1.2": patched in place
        byte[] ts = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 132; i + ts.length <= implicit.length; i++) {
            if (Arrays.equals(implicit, i, i + ts.length, ts, 0, ts.length)) {
                System.arraycopy(vendor.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, implicit, i,
                        ts.length);
                break;
            }
        }
        DicomFile f = DicomReader.read(new ByteArrayInputStream(implicit));
        assertThat(f.transferSyntaxUid()).isEqualTo(vendor);
        assertThat(f.dataset()).isEqualTo(Samples.ct());
    }

    @Test
    void bigEndianValuesReadAsTheirLittleEndianTwin() {
        Path le = Samples.PYDICOM_DATA.resolve("test_files/MR_small.dcm");
        Path be = Samples.PYDICOM_DATA.resolve("test_files/MR_small_bigendian.dcm");
        Assumptions.assumeTrue(Files.isRegularFile(le) && Files.isRegularFile(be), "pydicom samples not installed");
        DicomFile little = DicomReader.read(le);
        DicomFile big = DicomReader.read(be);
        assertThat(big.transferSyntaxUid()).isEqualTo(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        assertThat(big.dataset().getInt(Tag.Rows)).isEqualTo(little.dataset().getInt(Tag.Rows)).hasValue(64);
        // Every binary value, Pixel Data included, is byte-swapped into the model's little-endian form.
        // MR_small.dcm alone ends in Data Set Trailing Padding (FFFC,FFFC).
        assertThat(big.dataset()).isEqualTo(little.dataset().copy().remove(0xFFFCFFFC));
    }

    private static int metaEnd(byte[] file) {
        int groupLength = (file[140] & 0xFF) | (file[141] & 0xFF) << 8 | (file[142] & 0xFF) << 16;
        return 144 + groupLength;
    }

    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
