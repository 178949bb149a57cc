package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/**
 * A C-STORE far larger than the SCP's heap: storescu sends a 512 MiB instance (-Dbig.instance.mib=2048 for the
 * issue's 2 GiB) to our SCP running with -Xmx64m in a JVM of its own; it arrives whole and byte for byte. Then a
 * C-MOVE of it to a storescp that accepts Implicit VR only: re-encoded on the way in the same 64 MiB, its pixel
 * data arrives byte for byte.
 */
class BigInstanceTest {

    @TempDir
    Path dir;

    @Test
    void instanceEightTimesTheHeapStreamsThrough() throws Exception {
        assumeTrue(Dcmtk.available("storescu"), "DCMTK storescu is not installed");
        long mib = Long.getLong("big.instance.mib", 512);
        Path big = dir.resolve("big.dcm");
        long pixels = mib << 20;
        DicomDataset d = new DicomDataset();
        d.set(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        d.set(Tag.SOPInstanceUID, VR.UI, "1.2.3.999.1");
        d.set(Tag.StudyInstanceUID, VR.UI, "1.2.3.999");
        d.set(Tag.SeriesInstanceUID, VR.UI, "1.2.3.999.0");
        d.set(Tag.Modality, VR.CS, "OT");
        d.setInt(Tag.SamplesPerPixel, VR.US, 1);
        d.set(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        d.setInt(Tag.Rows, VR.US, (int) Math.min(0xFFFF, pixels / 2 / 32768));
        d.setInt(Tag.Columns, VR.US, 32768);
        d.setInt(Tag.BitsAllocated, VR.US, 16);
        d.setInt(Tag.BitsStored, VR.US, 16);
        d.setInt(Tag.HighBit, VR.US, 15);
        d.setInt(Tag.PixelRepresentation, VR.US, 0);
        try (OutputStream out = Files.newOutputStream(big)) {
            DicomWriter.write(d, out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            out.write(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0});
            out.write(new byte[] {(byte) pixels, (byte) (pixels >>> 8), (byte) (pixels >>> 16), (byte) (pixels >>> 24)});
        }
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            // sparse zeros, with a marker at the end that must arrive too
            f.setLength(f.length() + pixels);
            f.seek(f.length() - 8);
            f.write("THE END!".getBytes(StandardCharsets.US_ASCII));
        }
        Path root = dir.resolve("archive");
        Path portFile = dir.resolve("port");
        boolean move = Dcmtk.available("movescu") && Dcmtk.available("storescp");
        int destPort = DimseTestBed.freePort();
        Path received = Files.createDirectories(dir.resolve("received"));
        Process scp = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), ForkedScp.class.getName(), root.toString(),
                portFile.toString(), "", Integer.toString(destPort)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("scp.log").toFile()).start();
        Process storescp = null;
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> Files.exists(portFile));
            Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("storescu", "-aec", "PACS", "127.0.0.1",
                    Files.readString(portFile), big.toString()));
            assertThat(r.exit()).as(r.output()).isZero();
            if (move) {
                storescp = Dcmtk.start(Dcmtk.cmd("storescp", "+xi", "+B", "-aet", "STORESCP", "-od",
                        received.toString(), Integer.toString(destPort)), dir, dir.resolve("storescp.log"));
                org.awaitility.Awaitility.await().ignoreExceptions().until(() -> {
                    new java.net.Socket("127.0.0.1", destPort).close();
                    return true;
                });
                Dcmtk.Result m = Dcmtk.run(Dcmtk.cmd("movescu", "-S", "-aec", "PACS", "-aem", "STORESCP",
                        "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3.999", "127.0.0.1",
                        Files.readString(portFile)));
                assertThat(m.exit()).as(m.output()).isZero();
            }
        } finally {
            if (storescp != null) {
                storescp.destroy();
                storescp.waitFor();
            }
            scp.getOutputStream().close();
            assertThat(scp.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String log = Files.readString(dir.resolve("scp.log"));
        assertThat(scp.exitValue()).as(log).isZero();
        assertThat(log).doesNotContain("OutOfMemoryError");
        try (FileStorage archive = new FileStorage(FileStorageConfig.of(root).withFsync(false))) {
            StoredInstance s = archive.describe(SopInstanceUid.of("1.2.3.999.1")).orElseThrow();
            try (InputStream stored = archive.open(s.sopInstanceUid()); InputStream sent = Files.newInputStream(big)) {
                Part10.StoredDataset a = Part10.openDataset(stored, "");
                Part10.StoredDataset b = Part10.openDataset(sent, "");
                assertThat(sha(a.dataset())).isEqualTo(sha(b.dataset()));
            }
        }
        if (move) {
            Path got;
            try (var files = Files.list(received)) {
                got = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            org.pacs.storage.dicom.DicomFile h = org.pacs.storage.dicom.DicomReader.readHeader(got);
            assertThat(h.transferSyntaxUid()).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
            // the pixel value follows an 8-byte implicit header there, a 12-byte explicit one in what was sent
            long sentAt = org.pacs.storage.dicom.DicomReader.readHeader(big).headerLength() + 12;
            try (InputStream a = Files.newInputStream(got); InputStream b = Files.newInputStream(big)) {
                a.skipNBytes(h.headerLength() + 8);
                b.skipNBytes(sentAt);
                assertThat(sha(a)).isEqualTo(sha(b));
            }
        }
    }

    private static String sha(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        long n = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
            md.update(buf, 0, r);
            n += r;
        }
        return HexFormat.of().formatHex(md.digest()) + " " + n;
    }
}
