package org.pacs.storage.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Datasets built in memory and the pydicom sample corpus, shared by the DICOM tests. */
final class Samples {

    static final Path PYDICOM_DATA = Path.of("/usr/lib/python3/dist-packages/pydicom/data");

    private Samples() {
    }

    /** A CT-like instance with strings, numbers, a nested sequence and native Pixel Data. */
    static DicomDataset ct() {
        DicomDataset ds = new DicomDataset();
        ds.set(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.set(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.set(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ds.set(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.5.6.7");
        ds.set(Tag.StudyDate, VR.DA, "20240131");
        ds.set(Tag.StudyTime, VR.TM, "101530.25");
        ds.set(Tag.Modality, VR.CS, "CT");
        ds.set(Tag.PatientName, VR.PN, "Müller^Jürgen=山田^太郎");
        ds.set(Tag.PatientID, VR.LO, "PID-0001");
        ds.set(Tag.StudyInstanceUID, VR.UI, "1.2.3.4");
        ds.set(Tag.SeriesInstanceUID, VR.UI, "1.2.3.4.5");
        ds.set(Tag.SeriesNumber, VR.IS, "3");
        ds.setInt(Tag.Rows, VR.US, 2);
        ds.setInt(Tag.Columns, VR.US, 2);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        DicomDataset inner = new DicomDataset().set(Tag.AccessionNumber, VR.SH, "ACC1");
        DicomDataset item = new DicomDataset().set(Tag.StudyInstanceUID, VR.UI, "1.2.3.9")
                .setItems(0x00081250, List.of(inner));
        ds.setItems(0x00081115, List.of(item, new DicomDataset().set(Tag.SeriesDescription, VR.LO, "second")));
        ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 0, 2, 0, 3, 0, 4, 0});
        return ds;
    }

    static boolean corpusPresent() {
        return Files.isDirectory(PYDICOM_DATA);
    }

    /** Every DICOM file of the corpus: *.dcm, DICOMDIRs and the extension-less dicomdirtests instances. */
    static List<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.walk(PYDICOM_DATA)) {
            return s.filter(Files::isRegularFile).filter(Samples::looksLikeDicomName).sorted().toList();
        }
    }

    private static boolean looksLikeDicomName(Path p) {
        String n = p.getFileName().toString();
        if (n.endsWith(".dcm")) {
            return true;
        }
        return !n.contains(".") && !n.equals("README") && p.toString().contains("dicomdirtests");
    }
}
