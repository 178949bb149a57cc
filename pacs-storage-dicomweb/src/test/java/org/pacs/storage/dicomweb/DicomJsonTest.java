package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.VR;

/** The DICOM JSON encoder's value mapping (PS3.18 F.2): numbers, names, empties, binary, bulk data links. */
class DicomJsonTest {

    static String json(DicomDataset d, DicomJson.BulkDataLinks links, Map<Integer, VR> bulkOnly) throws Exception {
        StringWriter w = new StringWriter();
        try (var g = Exchange.JSON.createGenerator(w)) {
            DicomJson.write(g, d, links, bulkOnly);
        }
        return w.toString();
    }

    @Test
    void mapsValuesAsTheStandardSays() throws Exception {
        DicomDataset d = new DicomDataset();
        d.set(0x00100010, VR.PN, "Wang^XiaoDong=王^小東=", "Doe^J");
        d.set(0x00200013, VR.IS, "+7");
        d.set(0x00280030, VR.DS, "0.5", "1e2");
        d.set(0x00181050, VR.DS, "not a number");
        d.set(0x00080008, VR.CS, "ORIGINAL", "", "AXIAL ");
        d.setInt(0x00280010, VR.US, 65535);
        d.setInt(0x00281052, VR.SL, -3);
        d.setBytes(0x00189087, VR.FD, java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putDouble(Double.NaN).putDouble(2.5).array());
        d.setBytes(0x00209165, VR.AT, new byte[] {0x20, 0x00, 0x32, 0x00});
        d.setBytes(0x00091001, VR.OB, new byte[] {1, 2, 3});
        d.setBytes(0x00091002, VR.OB, new byte[2000]);
        d.put(new DicomElement(0x00081030, VR.LO, null, null, null, null));
        d.setItems(0x00081110, List.of(new DicomDataset().set(0x00081155, VR.UI, "1.2.3\0")));
        d.set(0x00020010, VR.UI, "1.2.840.10008.1.2.1");
        String out = json(d, tag -> "http://x/bulk/" + DicomJson.key(tag), Map.of(0x7FE00010, VR.OW));
        assertThat(out).contains("\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Wang^XiaoDong\","
                + "\"Ideographic\":\"王^小東\"},{\"Alphabetic\":\"Doe^J\"}]}")
                .contains("\"00200013\":{\"vr\":\"IS\",\"Value\":[7]}")
                .contains("\"00280030\":{\"vr\":\"DS\",\"Value\":[0.5,1E+2]}")
                .contains("\"00181050\":{\"vr\":\"DS\",\"Value\":[\"not a number\"]}")
                .contains("\"00080008\":{\"vr\":\"CS\",\"Value\":[\"ORIGINAL\",null,\"AXIAL\"]}")
                .contains("\"00280010\":{\"vr\":\"US\",\"Value\":[65535]}")
                .contains("\"00281052\":{\"vr\":\"SL\",\"Value\":[-3]}")
                .contains("\"00189087\":{\"vr\":\"FD\",\"Value\":[null,2.5]}")
                .contains("\"00209165\":{\"vr\":\"AT\",\"Value\":[\"00200032\"]}")
                .contains("\"00091001\":{\"vr\":\"OB\",\"InlineBinary\":\"AQID\"}")
                .contains("\"00091002\":{\"vr\":\"OB\",\"BulkDataURI\":\"http://x/bulk/00091002\"}")
                .contains("\"00081030\":{\"vr\":\"LO\"}")
                .contains("\"00081110\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}}]}")
                .contains("\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"http://x/bulk/7FE00010\"}")
                .doesNotContain("00020010");
        // Keys ascend, as F.2.2 requires.
        assertThat(out.indexOf("\"00080008\"")).isLessThan(out.indexOf("\"00081030\""));
        assertThat(out.indexOf("\"00281052\"")).isLessThan(out.indexOf("\"7FE00010\""));
        // Without links, large values are inlined rather than lost.
        assertThat(json(d, DicomJson.BulkDataLinks.NONE, Map.of())).contains("\"00091002\":{\"vr\":\"OB\",\"InlineBinary\":");
    }

    @Test
    void personNameGroupsDropTrailingEmptyOnes() {
        assertThat(DicomJson.personNameGroups("Wang^XiaoDong=王^小東=")).containsExactly("Wang^XiaoDong", "王^小東");
        assertThat(DicomJson.personNameGroups("=Yamada^Tarou")).containsExactly("", "Yamada^Tarou");
        assertThat(DicomJson.personNameGroups("A^B==")).containsExactly("A^B");
    }
}
