package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/** C-FIND SCP against DCMTK's findscu: both models, all four levels, wildcards, ranges, character sets, cancel. */
class FindScpTest extends DimseTestBed {

    static final String SC = "1.2.840.10008.5.1.4.1.1.7";

    @BeforeEach
    void catalog() {
        assumeTrue(Dcmtk.available("findscu"), "DCMTK findscu is not installed");
        start(config());
        instance("SMITH^JOHN", "P1", "1.9.1", "20240105", "CT", "1.9.1.1", 2);
        instance("SMITH^JOHN", "P1", "1.9.1", "20240105", "CT", "1.9.1.2", 2);
        instance("SMITH^JOHN", "P1", "1.9.2", "20240320", "MR", "1.9.2.1", 1);
        instance("SMYTHE^ANN", "P2", "1.9.3", "20231231", "CT", "1.9.3.1", 1);
        instance("JONES^BOB", "P3", "1.9.4", "20240601", "US", "1.9.4.1", 1);
    }

    private void instance(String name, String pid, String study, String date, String modality, String series, int n) {
        for (int i = 1; i <= n; i++) {
            DicomDataset d = new DicomDataset();
            d.set(Tag.SOPClassUID, VR.UI, SC);
            d.set(Tag.SOPInstanceUID, VR.UI, series + "." + i);
            d.set(Tag.StudyDate, VR.DA, date);
            d.set(Tag.Modality, VR.CS, modality);
            d.set(Tag.PatientName, VR.PN, name);
            d.set(Tag.PatientID, VR.LO, pid);
            d.set(Tag.StudyInstanceUID, VR.UI, study);
            d.set(Tag.SeriesInstanceUID, VR.UI, series);
            d.set(Tag.InstanceNumber, VR.IS, Integer.toString(i));
            archive.store(d);
        }
    }

    /** Runs findscu with -X and returns the identifiers it received, in order. */
    private List<DicomDataset> find(String model, String... args) throws Exception {
        Path out = Files.createTempDirectory(dir, "rsp");
        List<String> cmd = Dcmtk.cmd("findscu", "-v", model, "-aec", "PACS", "-X", "-od", out.toString());
        cmd.addAll(List.of(args));
        cmd.add(1, "127.0.0.1");
        cmd.add(2, port());
        // findscu wants peer and port last, before any query file
        List<String> fixed = new ArrayList<>(cmd.subList(0, 1));
        fixed.addAll(cmd.subList(3, cmd.size()));
        List<String> files = new ArrayList<>();
        for (String a : List.copyOf(fixed)) {
            if (a.endsWith(".dcm")) {
                fixed.remove(a);
                files.add(a);
            }
        }
        fixed.add("127.0.0.1");
        fixed.add(port());
        fixed.addAll(files);
        Dcmtk.Result r = Dcmtk.run(fixed);
        lastOutput = r.output();
        assertThat(r.exit()).as(r.output()).isZero();
        try (Stream<Path> s = Files.list(out)) {
            return s.sorted().map(p -> DicomReader.read(p).dataset()).toList();
        }
    }

    private String lastOutput = "";

    private static List<String> values(List<DicomDataset> rs, int tag) {
        List<String> v = new ArrayList<>();
        rs.forEach(d -> v.add(d.getString(tag, "")));
        Collections.sort(v);
        return v;
    }

    @Test
    void patientLevelWithWildcard() throws Exception {
        List<DicomDataset> rs = find("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientName=SM*",
                "-k", "PatientID");
        assertThat(values(rs, Tag.PatientID)).containsExactly("P1", "P2");
        assertThat(values(rs, Tag.PatientName)).containsExactly("SMITH^JOHN", "SMYTHE^ANN");
        assertThat(lastOutput).contains("Received Final Find Response (Success)");
        assertThat(events).filteredOn(e -> e.operation().equals("C-FIND")).singleElement()
                .satisfies(e -> assertThat(e.completed()).isEqualTo(2));
    }

    @Test
    void studyLevelWithDateRangeInBothModels() throws Exception {
        for (String model : List.of("-S", "-P")) {
            List<DicomDataset> rs = find(model, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyDate=20240101-20241231",
                    "-k", "StudyInstanceUID", "-k", "PatientID", "-k", "ModalitiesInStudy");
            assertThat(values(rs, Tag.StudyInstanceUID)).as(model).containsExactly("1.9.1", "1.9.2", "1.9.4");
        }
        List<DicomDataset> open = find("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyDate=-20240110",
                "-k", "StudyInstanceUID");
        assertThat(values(open, Tag.StudyInstanceUID)).containsExactly("1.9.1", "1.9.3");
    }

    @Test
    void seriesAndImageLevels() throws Exception {
        List<DicomDataset> series = find("-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=1.9.1",
                "-k", "Modality=C?", "-k", "SeriesInstanceUID");
        assertThat(values(series, Tag.SeriesInstanceUID)).containsExactly("1.9.1.1", "1.9.1.2");
        List<DicomDataset> images = find("-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=1.9.1",
                "-k", "SeriesInstanceUID=1.9.1.2", "-k", "SOPInstanceUID", "-k", "InstanceNumber");
        assertThat(values(images, Tag.SOPInstanceUID)).containsExactly("1.9.1.2.1", "1.9.1.2.2");
        assertThat(values(images, Tag.InstanceNumber)).containsExactly("1", "2");
    }

    @Test
    void patientLevelIsRefusedInTheStudyRootModel() throws Exception {
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("findscu", "-v", "-S", "-aec", "PACS", "-k", "QueryRetrieveLevel=PATIENT",
                "-k", "PatientName=*", "127.0.0.1", port()));
        assertThat(r.output()).as(r.output()).contains("Final Find Response (Error: DataSetDoesNotMatchSOPClass)");
    }

    @Test
    void specificCharacterSetOfTheIdentifierIsRespected() throws Exception {
        assumeTrue(Dcmtk.available("dump2dcm"), "DCMTK dump2dcm is not installed");
        Path charsets = Corpus.PYDICOM.getParent().resolve("charset_files");
        assumeTrue(Files.isDirectory(charsets), "pydicom charset samples missing");
        for (String f : List.of("chrGerm.dcm", "chrRuss.dcm", "chrFren.dcm")) {
            archive.store(charsets.resolve(f));
        }
        // Latin-1 and Cyrillic (ISO 8859-5) query keys, written as the bytes a modality would send.
        record Q(String charset, String javaCharset, String key, String expected) {
        }
        for (Q q : List.of(new Q("ISO_IR 100", "ISO-8859-1", "Äneas*", "Äneas^Rüdiger"),
                new Q("ISO_IR 144", "ISO-8859-5", "Люк*", "Люкceмбypг"))) {
            Path dump = dir.resolve("q.txt");
            Files.writeString(dump, "(0008,0005) CS [" + q.charset() + "]\n(0008,0052) CS [STUDY]\n"
                    + "(0010,0010) PN [" + q.key() + "]\n(0020,000d) UI []\n", Charset.forName(q.javaCharset()));
            Path query = dir.resolve("q.dcm");
            Dcmtk.Result made = Dcmtk.run(Dcmtk.cmd("dump2dcm", dump.toString(), query.toString()));
            assertThat(made.exit()).as(made.output()).isZero();
            List<DicomDataset> rs = find("-S", query.toString());
            assertThat(rs).as(q.charset()).singleElement()
                    .satisfies(d -> assertThat(d.getString(Tag.PatientName).orElse("")).isEqualTo(q.expected()));
        }
    }

    @Test
    void anAnswerOfMoreThanTwoPagesComesBackWholeAtStudyAndImageLevel() throws Exception {
        // 1,100 studies of one instance: three SQL pages of FindPages.PAGE at either level
        int n = 2 * FindPages.PAGE + 100;
        List<DicomDataset> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(new DicomDataset().set(Tag.SOPClassUID, VR.UI, SC).set(Tag.SOPInstanceUID, VR.UI, "1.8." + i + ".1.1")
                    .set(Tag.StudyInstanceUID, VR.UI, "1.8." + i).set(Tag.SeriesInstanceUID, VR.UI, "1.8." + i + ".1")
                    .set(Tag.PatientID, VR.LO, "PAGED").set(Tag.Modality, VR.CS, "OT"));
        }
        archive.storeBatch(batch);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("1.8." + i);
        }
        Collections.sort(expected);
        List<DicomDataset> studies = find("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=PAGED",
                "-k", "StudyInstanceUID", "-k", "NumberOfStudyRelatedInstances");
        assertThat(values(studies, Tag.StudyInstanceUID)).containsExactlyElementsOf(expected);
        assertThat(studies).allSatisfy(d -> assertThat(d.getString(Tag.NumberOfStudyRelatedInstances, "")).isEqualTo("1"));
        List<DicomDataset> images = find("-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "PatientID=PAGED",
                "-k", "SOPInstanceUID");
        List<String> sops = new ArrayList<>();
        expected.forEach(e -> sops.add(e + ".1.1"));
        Collections.sort(sops);
        assertThat(values(images, Tag.SOPInstanceUID)).containsExactlyElementsOf(sops);
    }

    @Test
    void cancelEndsTheMatchingWithStatusCancel() throws Exception {
        // Many matches, so the C-CANCEL-RQ arrives while responses are still being sent; the archive's matching
        // is not what is tested here, so a wrapper answers pages of 200,000 generated studies in key order.
        server.close();
        DicomDataset one = archive.find(new DicomDataset().set(Tag.QueryRetrieveLevel, VR.CS, "STUDY")
                .set(Tag.StudyInstanceUID, VR.UI)).get(0);
        int total = 200_000;
        int[] pages = {0};
        start(config(), new ForwardingStorageBackend(archive) {
            @Override
            public List<DicomDataset> find(DicomDataset query, int limit, int offset) {
                pages[0]++;
                List<DicomDataset> page = new ArrayList<>();
                for (int i = offset; i < Math.min(total, offset + limit); i++) {
                    page.add(one.copy().set(Tag.StudyInstanceUID, VR.UI, "1.7." + (1_000_000 + i)));
                }
                return page;
            }

            @Override
            public void close() {
                // the test bed closes the archive
            }
        });
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("findscu", "-v", "-S", "-aec", "PACS", "--cancel", "1",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "127.0.0.1", port()));
        String tail = r.output().substring(Math.max(0, r.output().length() - 400));
        assertThat(tail).as(tail).contains("Final Find Response (Cancel");
        assertThat(events).filteredOn(e -> e.operation().equals("C-FIND")).singleElement()
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(Status.CANCEL);
                    assertThat(e.completed()).isLessThan(total);
                });
        // the walk stopped with the cancel: it did not read the remaining pages
        assertThat(pages[0]).isLessThan(total / FindPages.PAGE);
    }
}
