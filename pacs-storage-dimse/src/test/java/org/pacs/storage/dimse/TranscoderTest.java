package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;

/**
 * {@link Transcoder} over every pydicom sample stored in an uncompressed syntax: into each other Little Endian
 * syntax and back, the core reader finds the same elements and values (pixel data byte for byte); malformed bytes
 * end in a TranscodeException, never another exception or a hang.
 */
class TranscoderTest {

    static final List<String> TARGETS = List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

    /** The samples whose meta group names a native or deflated syntax, readable by the core reader. */
    static List<Path> nativeSamples() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Corpus.PYDICOM)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".dcm")).sorted().toList()) {
                try {
                    DicomFile f = DicomReader.read(p);
                    if (!f.fileMeta().isEmpty() && !TransferSyntax.isEncapsulated(f.transferSyntaxUid())) {
                        out.add(p);
                    }
                } catch (StorageException e) {
                    // truncated on purpose
                }
            }
        }
        return out;
    }

    static byte[] transcode(byte[] dataset, String from, String to) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Transcoder.transcode(new ByteArrayInputStream(dataset), from, out, to);
        return out.toByteArray();
    }

    private static byte[] datasetBytes(Path p, String[] syntax) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            Part10.StoredDataset ds = Part10.openDataset(in, "");
            syntax[0] = ds.transferSyntax();
            return ds.dataset().readAllBytes();
        }
    }

    @Test
    void everyNativeSampleKeepsItsElementsAndValuesBothWays() throws Exception {
        assumeTrue(Corpus.present(), "pydicom samples missing");
        List<Path> samples = nativeSamples();
        assertThat(samples).hasSizeGreaterThan(20);
        List<String> done = new ArrayList<>();
        for (Path p : samples) {
            String[] from = new String[1];
            byte[] original = datasetBytes(p, from);
            DicomDataset want = DicomReader.read(p).dataset();
            for (String to : TARGETS) {
                if (!Transcoder.canTranscode(from[0], to)) {
                    continue;
                }
                byte[] once = transcode(original, from[0], to);
                if (!from[0].equals(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
                    assertThat(once.length & 1).as(p + " parity: headers change by even counts")
                            .isEqualTo(original.length & 1);
                }
                Equivalence.assertSame(want, Part10.parseDataset(once, to), p.getFileName() + " -> " + to);
                // and back (or on to the other LE syntax): still the same
                String next = to.equals(TARGETS.get(0)) ? TARGETS.get(1) : TARGETS.get(0);
                byte[] twice = transcode(once, to, next);
                Equivalence.assertSame(want, Part10.parseDataset(twice, next), p.getFileName() + " -> " + to
                        + " -> " + next);
                done.add(p.getFileName() + " " + from[0] + "->" + to);
            }
        }
        assertThat(done).anyMatch(s -> s.contains(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN + "->"))
                .anyMatch(s -> s.contains(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN + "->"))
                .anyMatch(s -> s.contains(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN + "->"));
    }

    @Test
    void pixelDataBytesAreIdenticalAndPrivateTagsBecomeUnInExplicit() throws Exception {
        assumeTrue(Corpus.present(), "pydicom samples missing");
        String[] from = new String[1];
        byte[] implicit = datasetBytes(Corpus.PYDICOM.resolve("MR_small_implicit.dcm"), from);
        assertThat(from[0]).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        DicomDataset want = Part10.parseDataset(implicit, from[0]);
        DicomDataset got = Part10.parseDataset(transcode(implicit, from[0], TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(got.get(Tag.PixelData).orElseThrow().bytes()).isEqualTo(want.get(Tag.PixelData).orElseThrow().bytes())
                .hasSizeGreaterThan(8000);
        // priv_SQ.dcm: a private sequence in Implicit VR, which an explicit reader must still see as items
        byte[] priv = datasetBytes(Corpus.PYDICOM.resolve("nested_priv_SQ.dcm"), from);
        DicomDataset privWant = Part10.parseDataset(priv, from[0]);
        DicomDataset privGot = Part10.parseDataset(transcode(priv, from[0], TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Equivalence.assertSame(privWant, privGot, "nested_priv_SQ");
    }

    @Test
    void aLongValueOfAShortVrGoesAsUn() throws Exception {
        // 70,000 bytes of LO cannot have a 16-bit explicit length: PS3.5 6.2.2 lets it travel as UN
        byte[] value = new byte[70_000];
        Arrays.fill(value, (byte) 'A');
        ByteArrayOutputStream implicit = new ByteArrayOutputStream();
        implicit.write(new byte[] {0x08, 0x00, 0x70, 0x00}); // (0008,0070) Manufacturer, LO
        implicit.write(new byte[] {(byte) 0x70, 0x11, 0x01, 0x00}); // 70,000
        implicit.write(value);
        byte[] explicit = transcode(implicit.toByteArray(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(new String(explicit, 4, 2, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("UN");
        DicomDataset d = Part10.parseDataset(explicit, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(d.get(0x00080070).orElseThrow().vr()).isEqualTo(VR.UN);
        assertThat(d.get(0x00080070).orElseThrow().bytes()).isEqualTo(value);
    }

    @Test
    void truncatedAndMalformedDataSetsFailWithATranscodeException() throws Exception {
        assumeTrue(Corpus.present(), "pydicom samples missing");
        String[] from = new String[1];
        byte[] ct = datasetBytes(Corpus.PYDICOM.resolve("CT_small.dcm"), from);
        int failures = 0;
        for (int cut = 1; cut < ct.length; cut += 97) {
            byte[] part = Arrays.copyOf(ct, cut);
            try {
                transcode(part, from[0], TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
            } catch (Transcoder.TranscodeException e) {
                failures++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        // a cut exactly between two elements is a shorter, valid data set; every other cut fails cleanly
        assertThat(failures).isGreaterThan(ct.length / 97 / 2);
        byte[] badVr = ct.clone();
        badVr[4] = '?';
        assertThatThrownBy(() -> transcode(badVr, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)).isInstanceOf(IOException.class);
        // sequences nested 100 deep: refused, not a stack overflow
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            deep.write(new byte[] {0x08, 0x00, 0x15, 0x11, -1, -1, -1, -1}); // (0008,1115) SQ, undefined
            deep.write(new byte[] {-2, -1, 0x00, -32, -1, -1, -1, -1}); // item, undefined
        }
        assertThatThrownBy(() -> transcode(deep.toByteArray(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).isInstanceOf(Transcoder.TranscodeException.class)
                .hasMessageContaining("nested");
    }
}
