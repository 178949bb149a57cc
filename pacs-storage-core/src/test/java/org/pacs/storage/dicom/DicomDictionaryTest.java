package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DicomDictionaryTest {

    private static final Path PYDICOM_DICT = Path.of("/usr/lib/python3/dist-packages/pydicom/_dicom_dict.py");

    @Test
    void everyKeywordMapsToItsTagAndBack() {
        assertThat(DicomDictionary.keywords()).hasSizeGreaterThan(4900)
                .contains("PatientID", "PatientName", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID",
                        "AccessionNumber", "StudyDate", "Modality", "ModalitiesInStudy", "ReferringPhysicianName",
                        "StudyDescription", "SeriesNumber", "InstanceNumber", "PatientBirthDate", "PatientSex",
                        "QueryRetrieveLevel", "SOPClassUID", "NumberOfStudyRelatedInstances", "TransferSyntaxUID",
                        "OverlayData", "CurveData", "VariablePixelData", "ZonalMap");
        for (String k : DicomDictionary.keywords()) {
            DicomDictionary.Entry e = DicomDictionary.byKeyword(k).orElseThrow();
            assertThat(e.keyword()).isEqualTo(k);
            assertThat(DicomDictionary.byTag(e.tag())).as(k).contains(e);
            assertThat(DicomDictionary.keywordOf(e.tag())).isEqualTo(k);
            assertThat(DicomDictionary.vrOf(e.tag())).isEqualTo(e.vr());
        }
    }

    @Test
    void tagConstantsAgreeWithTheDictionary() throws IllegalAccessException {
        int checked = 0;
        for (java.lang.reflect.Field f : Tag.class.getFields()) {
            // Items and delimiters (FFFE,eeee) have no VR, so the table leaves them out.
            if (f.getType() == int.class && Character.isUpperCase(f.getName().charAt(0))
                    && Tag.group(f.getInt(null)) != 0xFFFE) {
                assertThat(DicomDictionary.byKeyword(f.getName())).as(f.getName()).isPresent();
                assertThat(DicomDictionary.byKeyword(f.getName()).orElseThrow().tag()).as(f.getName())
                        .isEqualTo(f.getInt(null));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    /** Every entry of pydicom's PS3.6, exact and repeating, is in the table with its VRs, VM and retirement. */
    @Test
    void theWholeOfPs36IsThere() throws IOException {
        assumeTrue(Files.isRegularFile(PYDICOM_DICT), "python3-pydicom not installed");
        Pattern line = Pattern.compile(
                "^\\s*(?:0x([0-9A-Fa-f]{8})|'([0-9A-Fa-fx]{8})'): \\('([^']*)', '([^']*)', \"[^\"]*\", '([^']*)', '(\\w*)'\\)");
        List<String[]> ps36 = new ArrayList<>();
        for (String l : Files.readAllLines(PYDICOM_DICT, StandardCharsets.UTF_8)) {
            Matcher m = line.matcher(l);
            if (m.find() && !m.group(3).equals("NONE")) {
                ps36.add(new String[] {m.group(1) != null ? m.group(1) : m.group(2), m.group(3), m.group(4),
                    m.group(5), m.group(6)});
            }
        }
        assertThat(ps36).hasSize(DicomDictionary.exactSize() + DicomDictionary.repeaterCount());
        int repeaters = 0;
        for (String[] std : ps36) {
            boolean repeating = std[0].contains("x");
            // A repeating entry is looked up with its free digits as 1 where 0 is another attribute's: (0028,04x3).
            int tag = Integer.parseUnsignedInt(std[0].replace('x', repeating ? '2' : '0'), 16);
            repeaters += repeating ? 1 : 0;
            DicomDictionary.Entry e = DicomDictionary.byTag(tag).orElseThrow(() -> new AssertionError(std[0]));
            assertThat(e.tag()).isEqualTo(tag);
            assertThat(e.keyword()).as(std[0]).isEqualTo(std[4]);
            assertThat(e.vrs()).as(std[0]).extracting(VR::name).containsExactly(std[1].split(" or "));
            assertThat(e.vm()).as(std[0]).isEqualTo(std[2]);
            assertThat(e.retired()).as(std[0]).isEqualTo(std[3].equals("Retired"));
            if (!std[4].isEmpty()) {
                assertThat(DicomDictionary.byKeyword(std[4]).orElseThrow().vrs()).isEqualTo(e.vrs());
            }
        }
        assertThat(repeaters).isEqualTo(DicomDictionary.repeaterCount()).isGreaterThan(80);
    }

    @ParameterizedTest(name = "({0}) {1}")
    @CsvSource(delimiter = '|', textBlock = """
            60000010 | OverlayRows            | US
            60020010 | OverlayRows            | US
            601E3000 | OverlayData            | OW
            60E03000 | OverlayData            | OW
            50103000 | CurveData              | OW
            50000005 | CurveDimensions        | US
            7F020010 | VariablePixelData      | OW
            002031AB | SourceImageIDs         | CS
            00280413 | CoefficientCodingPointers | AT
            00280403 | SequenceOfCompressedData | LO
            10101234 | ZonalMap               | US
            1000ABC5 | ShiftTableTriplet      | US
            """)
    void repeatingGroups(String hex, String keyword, VR vr) {
        int tag = Integer.parseUnsignedInt(hex, 16);
        assertThat(DicomDictionary.keywordOf(tag)).isEqualTo(keyword);
        assertThat(DicomDictionary.vrOf(tag)).isEqualTo(vr);
        assertThat(DicomDictionary.byTag(tag).orElseThrow().tag()).isEqualTo(tag);
    }

    @Test
    void repeatingGroupsRepeatEvenGroupsOnlyAndKeywordsNameTheFirst() {
        assertThat(DicomDictionary.byKeyword("OverlayRows").orElseThrow().tag()).isEqualTo(0x60000010);
        assertThat(DicomDictionary.byKeyword("CoefficientCodingPointers").orElseThrow().tag()).isEqualTo(0x00280413);
        // (6001,0010) is a private creator of the odd group 6001, not Overlay Rows.
        assertThat(DicomDictionary.byTag(0x60010010)).isEmpty();
        assertThat(DicomDictionary.vrOf(0x60010010)).isEqualTo(VR.LO);
        assertThat(DicomDictionary.vrOf(0x60013000)).isEqualTo(VR.UN);
        // (7FE0,0010) is Pixel Data, an exact entry, though the mask (7Fxx,0010) matches it.
        assertThat(DicomDictionary.keywordOf(Tag.PixelData)).isEqualTo("PixelData");
    }

    /** Where PS3.6 allows several VRs the Implicit VR default is OW if allowed, else the first (PS3.5 A.1). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            PixelData               | OW | OB OW
            OverlayData             | OW | OB OW
            WaveformData            | OW | OB OW
            LUTData                 | OW | US OW
            GrayLookupTableData     | OW | US SS OW
            SmallestImagePixelValue | US | US SS
            LUTDescriptor           | US | US SS
            PixelPaddingValue       | US | US SS
            PatientName             | PN | PN
            """)
    void ambiguousVrs(String keyword, VR implicit, String allowed) {
        DicomDictionary.Entry e = DicomDictionary.byKeyword(keyword).orElseThrow();
        assertThat(e.vr()).isEqualTo(implicit);
        assertThat(e.vrs()).extracting(VR::name).containsExactly(allowed.split(" "));
        assertThat(e.ambiguous()).isEqualTo(allowed.contains(" "));
        boolean usOrSs = allowed.equals("US SS");
        assertThat(DicomDictionary.dependsOnPixelRepresentation(e.tag())).isEqualTo(usOrSs);
        assertThat(DicomDictionary.implicitVr(e.tag(), true)).isEqualTo(usOrSs ? VR.SS : implicit);
        assertThat(DicomDictionary.implicitVr(e.tag(), false)).isEqualTo(implicit);
    }

    @Test
    void vmRetiredAndUnnamedEntries() {
        DicomDictionary.Entry imageType = DicomDictionary.byKeyword("ImageType").orElseThrow();
        assertThat(imageType.vm()).isEqualTo("2-n");
        assertThat(imageType.retired()).isFalse();
        assertThat(DicomDictionary.byKeyword("CommandLengthToEnd").orElseThrow().retired()).isTrue();
        assertThat(DicomDictionary.byKeyword("OverlayOrigin").orElseThrow().vm()).isEqualTo("2");
        // (0018,0061) is retired without a keyword in PS3.6: known VR, keyword shown as the tag.
        assertThat(DicomDictionary.vrOf(0x00180061)).isEqualTo(VR.DS);
        assertThat(DicomDictionary.keywordOf(0x00180061)).isEqualTo("(0018,0061)");
        assertThat(DicomDictionary.byKeyword("")).isEmpty();
    }

    @Test
    void unknownPrivateAndGroupLengthTags() {
        assertThat(DicomDictionary.vrOf(0x00091010)).isEqualTo(VR.UN);
        assertThat(DicomDictionary.vrOf(0x00090010)).isEqualTo(VR.LO);
        assertThat(DicomDictionary.vrOf(0x00280000)).isEqualTo(VR.UL);
        assertThat(DicomDictionary.keywordOf(0x00091010)).isEqualTo("(0009,1010)");
        assertThat(DicomDictionary.byKeyword("NoSuchKeyword")).isEmpty();
        assertThat(DicomDictionary.byTag(0x00080002)).isEmpty();
    }
}
