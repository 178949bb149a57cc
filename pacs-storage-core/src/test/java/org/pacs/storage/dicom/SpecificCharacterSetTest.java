package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecificCharacterSetTest {

    /** Expected values are pydicom's decoding of the same files (dcmdump +U8 cannot convert ISO 2022 IR 87). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            chrArab.dcm    | قباني^لنزار
            chrFren.dcm    | Buc^Jérôme
            chrFrenMulti.dcm | Buc^Jérôme
            chrGerm.dcm    | Äneas^Rüdiger
            chrGreek.dcm   | Διονυσιος
            chrH31.dcm     | Yamada^Tarou=山田^太郎=やまだ^たろう
            chrH32.dcm     | ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう
            chrHbrw.dcm    | שרון^דבורה
            chrI2.dcm      | Hong^Gildong=洪^吉洞=홍^길동
            chrJapMulti.dcm | やまだ^たろう
            chrJapMultiExplicitIR6.dcm | やまだ^たろう
            chrKoreanMulti.dcm | 김희중
            chrRuss.dcm    | Люкceмбypг
            chrSQEncoding.dcm | ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう
            chrSQEncoding1.dcm | ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう
            chrX1.dcm      | Wang^XiaoDong=王^小東=
            chrX2.dcm      | Wang^XiaoDong=王^小东=
            """)
    void pydicomCharsetFilesDecode(String file, String patientName) {
        Path p = Samples.PYDICOM_DATA.resolve("charset_files").resolve(file);
        assumeTrue(p.toFile().isFile(), "python3-pydicom charset files not installed");
        DicomDataset ds = DicomReader.read(p).dataset();
        assertThat(findPatientName(ds)).contains(patientName);
    }

    @Test
    void multiValuedAndTextValuesDecodePerValue() {
        Path dir = Samples.PYDICOM_DATA.resolve("charset_files");
        assumeTrue(dir.toFile().isDirectory(), "python3-pydicom charset files not installed");
        DicomDataset jap = DicomReader.read(dir.resolve("chrJapMulti.dcm")).dataset();
        assertThat(jap.getStrings(0x00101001)).containsExactly("やまだ^たろう", "やまだ^たろう");
        assertThat(jap.getString(0x001021B0)).contains("たろう");
        DicomDataset kor = DicomReader.read(dir.resolve("chrKoreanMulti.dcm")).dataset();
        assertThat(kor.getStrings(0x00101001)).containsExactly("김희중", "김희중");
        assertThat(kor.getString(0x00081070)).contains("김희중");
        DicomDataset fren = DicomReader.read(dir.resolve("chrFrenMulti.dcm")).dataset();
        assertThat(fren.getStrings(0x00101001)).containsExactly("Buc^Jérôme", "Buc^Jérôme");
    }

    /** Sets the corpus has no file for, from their code tables (byte values of ISO 8859-x, TIS-620, JIS X 0201). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ISO_IR 100 | C9       | É
            ISO_IR 101 | A3       | Ł
            ISO_IR 109 | A1       | Ħ
            ISO_IR 110 | A1       | Ą
            ISO_IR 144 | B0       | А
            ISO_IR 127 | C7       | ا
            ISO_IR 126 | C1       | Α
            ISO_IR 138 | E0       | א
            ISO_IR 148 | D0       | Ğ
            ISO_IR 203 | A4       | €
            ISO_IR 166 | A1       | ก
            ISO_IR 13  | B1       | ｱ
            ISO-IR 100 | C9       | É
            ISO_IR100  | C9       | É
            ISO_IR 192 | E282AC   | €
            GB18030    | 8130D330 | ђ
            GB18030    | 9439FC36 | 😀
            GBK        | C4E3     | 你
            ISO 2022 IR 100 | 1B2D41E9 | é
            ISO 2022 IR 144 | 1B2D4CB0 | А
            ISO 2022 IR 58  | 1B242941C4E3 | 你
            ISO 2022 IR 149 | 1B242943B1E8 | 김
            """)
    void singleTermSetsDecode(String term, String hex, String expected) {
        byte[] value = java.util.HexFormat.of().parseHex(hex);
        assertThat(decodePersonName(List.of(term), value)).isEqualTo(expected);
    }

    @Test
    void japaneseSupplementaryKanjiViaJisX0212() {
        byte[] euc = "丂".getBytes(Charset.forName("EUC-JP"));
        assumeTrue(euc.length == 3, "JDK maps U+4E02 to JIS X 0212");
        byte[] value = {0x1B, '$', '(', 'D', (byte) (euc[1] & 0x7F), (byte) (euc[2] & 0x7F), 0x1B, '(', 'B'};
        assertThat(decodePersonName(List.of("", "ISO 2022 IR 159"), value)).isEqualTo("丂");
    }

    @Test
    void gbkTrailByteBackslashDoesNotSplitValues() {
        // In GBK a second byte may be 0x5C; decoding before splitting keeps such a character whole.
        char found = 0;
        for (char c = '\u4E00'; c < '\u9FA5'; c++) {
            byte[] b = String.valueOf(c).getBytes(Charset.forName("GBK"));
            if (b.length == 2 && b[1] == '\\') {
                found = c;
                break;
            }
        }
        assertThat((int) found).isNotZero();
        byte[] value = (found + "\\A").getBytes(Charset.forName("GBK"));
        DicomDataset ds = readWith(List.of("GBK"), 0x00101001, VR.PN, value);
        assertThat(ds.getStrings(0x00101001)).containsExactly(String.valueOf(found), "A");
    }

    @Test
    void isoIr13SplitsValuesOnItsBackslashByte() {
        byte[] value = {(byte) 0xB1, '\\', 'A'};
        DicomDataset ds = readWith(List.of("ISO_IR 13"), 0x00101001, VR.PN, value);
        assertThat(ds.getStrings(0x00101001)).containsExactly("ｱ", "A");
    }

    @Test
    void eachValueAndComponentGroupStartsInTheInitialSet() {
        // The Korean set is designated once per group; after '=' and '\' the initial (ASCII, no G1) applies.
        byte[] value = {0x1B, '$', ')', 'C', (byte) 0xB1, (byte) 0xE8, '=', 'A', '\\', 'B'};
        DicomDataset ds = readWith(List.of("", "ISO 2022 IR 149"), 0x00101001, VR.PN, value);
        assertThat(ds.getStrings(0x00101001)).containsExactly("김=A", "B");
    }

    private static Optional<String> findPatientName(DicomDataset ds) {
        Optional<String> here = ds.getString(Tag.PatientName);
        if (here.isPresent()) {
            return here;
        }
        for (DicomElement e : ds.elements()) {
            for (DicomDataset item : e.items()) {
                Optional<String> nested = findPatientName(item);
                if (nested.isPresent()) {
                    return nested;
                }
            }
        }
        return Optional.empty();
    }

    private static String decodePersonName(List<String> terms, byte[] value) {
        return readWith(terms, Tag.PatientName, VR.PN, value).getString(Tag.PatientName).orElse("");
    }

    /** A bare Explicit VR LE data set with (0008,0005) and one raw text element. */
    static DicomDataset readWith(List<String> terms, int tag, VR vr, byte[] value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] cs = String.join("\\", terms).getBytes(StandardCharsets.US_ASCII);
        RawElements.explicitLe(b, Tag.SpecificCharacterSet, "CS", RawElements.pad(cs, ' '));
        RawElements.explicitLe(b, tag, vr.name(), RawElements.pad(value, ' '));
        return DicomReader.read(new ByteArrayInputStream(b.toByteArray())).dataset();
    }
}
