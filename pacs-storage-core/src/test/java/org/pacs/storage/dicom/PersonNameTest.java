package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonNameTest {

    private static final Path CHARSET_FILES = Samples.PYDICOM_DATA.resolve("charset_files");

    /**
     * Every PN value of a file, depth first as pydicom's iterall walks it: tag, value index, and the JSON model
     * object pydicom's to_json_dict writes for it, as key=value pairs joined by U+001F.
     */
    private static final String PYDICOM_PERSON_NAMES = """
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            out = []
            for e in ds.iterall():
                if e.VR != 'PN' or e.is_empty:
                    continue
                for i, v in enumerate(e.to_json_dict(None, 1 << 30)['Value']):
                    out.append('%08X|%d|%s' % (e.tag, i, '\\x1f'.join(k + '=' + x for k, x in v.items())))
            sys.stdout.buffer.write('\\n'.join(out).encode('utf-8'))
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Wang^XiaoDong=王^小東=        | Wang^XiaoDong | 王^小東 |              | 2 | Wang^XiaoDong=王^小東
            Yamada^Tarou=山田^太郎=やまだ^たろう | Yamada^Tarou | 山田^太郎 | やまだ^たろう | 3 | Yamada^Tarou=山田^太郎=やまだ^たろう
            Doe^John                     | Doe^John      |          |              | 1 | Doe^John
            Doe^John==                   | Doe^John      |          |              | 1 | Doe^John
            =山田^太郎                    |               | 山田^太郎 |              | 2 | =山田^太郎
            Doe==ドウ                    | Doe           |          | ドウ          | 3 | Doe==ドウ
            ^^^^                         | ^^^^          |          |              | 1 | ^^^^
            ==                           |               |          |              | 0 | ''
            A=B=C=D                      | A             | B        | C            | 3 | A=B=C
            """)
    void componentGroups(String value, String alphabetic, String ideographic, String phonetic, int groups,
                         String printed) {
        PersonName pn = PersonName.parse(value);
        assertThat(pn).isEqualTo(new PersonName(alphabetic, ideographic, phonetic));
        assertThat(pn.groups()).isEqualTo(groups);
        assertThat(pn.components()).hasSize(groups);
        assertThat(pn.toString()).isEqualTo(printed);
        assertThat(pn.isEmpty()).isEqualTo(groups == 0);
    }

    @Test
    void jsonModelObjects() {
        assertThat(PersonName.parse("Wang^XiaoDong=王^小東=").toJson())
                .containsExactly(Map.entry("Alphabetic", "Wang^XiaoDong"), Map.entry("Ideographic", "王^小東"));
        assertThat(PersonName.parse("=山田").toJson())
                .containsExactly(Map.entry("Alphabetic", ""), Map.entry("Ideographic", "山田"));
        assertThat(PersonName.parse("Doe==ドウ").toJson()).containsExactly(Map.entry("Alphabetic", "Doe"),
                Map.entry("Ideographic", ""), Map.entry("Phonetic", "ドウ"));
        assertThat(PersonName.parse("").toJson()).isEmpty();
    }

    @Test
    void datasetValuesAndOtherVrs() {
        DicomDataset ds = new DicomDataset().set(0x00101001, VR.PN, "A^B=甲^乙=", "C^D")
                .set(Tag.PatientID, VR.LO, "X=Y");
        assertThat(ds.getPersonNames(0x00101001)).containsExactly(new PersonName("A^B", "甲^乙", ""),
                new PersonName("C^D", "", ""));
        assertThat(ds.getPersonNames(Tag.PatientID)).isEmpty();
        assertThat(ds.getPersonNames(Tag.PatientName)).isEmpty();
        // The element keeps the value as stored (bytes back bit for bit); only the parsed name drops the '='.
        assertThat(ds.getStrings(0x00101001)).containsExactly("A^B=甲^乙=", "C^D");
    }

    /** Every PN value of pydicom's character-set samples, decoded and split, against pydicom's JSON model. */
    @TestFactory
    Stream<DynamicTest> charsetFilesAgreeWithPydicom() throws IOException {
        assumeTrue(Files.isDirectory(CHARSET_FILES), "python3-pydicom charset files not installed");
        assumeTrue(Pydicom.available(), "python3 with pydicom not installed");
        List<Path> files;
        try (Stream<Path> s = Files.list(CHARSET_FILES)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(17);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            List<String> expected = Pydicom.run(PYDICOM_PERSON_NAMES, f.toString());
            List<String> ours = new ArrayList<>();
            collect(DicomReader.read(f).dataset(), ours);
            assertThat(ours).isEqualTo(expected).isNotEmpty();
        }));
    }

    private static void collect(DicomDataset ds, List<String> out) {
        for (DicomElement e : ds.elements()) {
            List<PersonName> names = PersonName.of(e);
            for (int i = 0; i < names.size(); i++) {
                List<String> pairs = new ArrayList<>();
                names.get(i).toJson().forEach((k, v) -> pairs.add(k + "=" + v));
                out.add(String.format("%08X|%d|%s", e.tag(), i, String.join("\u001f", pairs)));
            }
            for (DicomDataset item : e.items()) {
                collect(item, out);
            }
        }
    }
}
