package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class DicomDictionaryTest {

    private static final Path PYDICOM_DICT = Path.of("/usr/lib/python3/dist-packages/pydicom/_dicom_dict.py");

    @Test
    void everyKeywordMapsToItsTagAndBack() {
        assertThat(DicomDictionary.keywords()).hasSizeGreaterThanOrEqualTo(100)
                .contains("PatientID", "PatientName", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID",
                        "AccessionNumber", "StudyDate", "Modality", "ModalitiesInStudy", "ReferringPhysicianName",
                        "StudyDescription", "SeriesNumber", "InstanceNumber", "PatientBirthDate", "PatientSex",
                        "QueryRetrieveLevel", "SOPClassUID", "NumberOfStudyRelatedInstances", "TransferSyntaxUID");
        for (String k : DicomDictionary.keywords()) {
            DicomDictionary.Entry e = DicomDictionary.byKeyword(k).orElseThrow();
            assertThat(DicomDictionary.byTag(e.tag())).contains(e);
            assertThat(DicomDictionary.keywordOf(e.tag())).isEqualTo(k);
            assertThat(DicomDictionary.vrOf(e.tag())).isEqualTo(e.vr());
        }
    }

    @Test
    void tagConstantsAgreeWithTheDictionary() throws IllegalAccessException {
        for (java.lang.reflect.Field f : Tag.class.getFields()) {
            if (f.getType() == int.class && Character.isUpperCase(f.getName().charAt(0))
                    && DicomDictionary.byKeyword(f.getName()).isPresent()) {
                assertThat(DicomDictionary.byKeyword(f.getName()).orElseThrow().tag()).as(f.getName())
                        .isEqualTo(f.getInt(null));
            }
        }
    }

    /** Tags and VRs checked against pydicom's copy of PS3.6 (the first VR where two are allowed). */
    @Test
    void vrsAndTagsMatchPs36() throws IOException {
        assumeTrue(Files.isRegularFile(PYDICOM_DICT), "python3-pydicom not installed");
        Pattern line = Pattern.compile("^\\s*0x([0-9A-Fa-f]{8}): \\('([^']*)', '[^']*', \"[^\"]*\", '[^']*', '(\\w+)'\\)");
        Map<String, String[]> ps36 = new HashMap<>();
        for (String l : Files.readAllLines(PYDICOM_DICT, StandardCharsets.UTF_8)) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                ps36.put(m.group(3), new String[] {m.group(1), m.group(2)});
            }
        }
        assertThat(ps36).hasSizeGreaterThan(1000);
        for (String k : DicomDictionary.keywords()) {
            String[] std = ps36.get(k);
            assertThat(std).as(k).isNotNull();
            DicomDictionary.Entry e = DicomDictionary.byKeyword(k).orElseThrow();
            assertThat(e.tag()).as(k).isEqualTo(Integer.parseUnsignedInt(std[0], 16));
            String expectedVr = k.equals("PixelData") ? "OW" : std[1].split(" or ")[0];
            assertThat(e.vr().name()).as(k).isEqualTo(expectedVr);
        }
    }

    @Test
    void unknownPrivateAndGroupLengthTags() {
        assertThat(DicomDictionary.vrOf(0x00091010)).isEqualTo(VR.UN);
        assertThat(DicomDictionary.vrOf(0x00090010)).isEqualTo(VR.LO);
        assertThat(DicomDictionary.vrOf(0x00280000)).isEqualTo(VR.UL);
        assertThat(DicomDictionary.byKeyword("NoSuchKeyword")).isEmpty();
    }
}
