package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * Two parsed data sets hold the same elements and values, whatever their transfer syntaxes: what re-encoding
 * between Implicit and Explicit VR must keep. Group lengths are left out (the transcoder drops them); a VR may
 * differ only where Implicit VR cannot carry it (UN for private tags, the "OB or OW" and "US or SS" choices), and
 * then the value bytes must still be the same.
 */
final class Equivalence {

    private Equivalence() {
    }

    static void assertSame(DicomDataset want, DicomDataset got, String where) {
        Set<Integer> a = tags(want);
        Set<Integer> b = tags(got);
        assertThat(b).as(where + ": tags").isEqualTo(a);
        for (int tag : a) {
            DicomElement x = want.get(tag).orElseThrow();
            DicomElement y = got.get(tag).orElseThrow();
            String at = where + " " + Tag.toString(tag);
            if (x.vr() == VR.SQ && y.vr() == VR.SQ) {
                assertThat(y.items()).as(at + " items").hasSameSizeAs(x.items());
                for (int i = 0; i < x.items().size(); i++) {
                    assertSame(x.items().get(i), y.items().get(i), at + "[" + i + "]");
                }
            } else if (x.vr() == y.vr()) {
                assertThat(y).as(at).isEqualTo(x);
            } else if (x.vr() == VR.UN || y.vr() == VR.UN) {
                DicomElement un = x.vr() == VR.UN ? x : y;
                DicomElement other = un == x ? y : x;
                if (other.vr().isString()) {
                    String text = new String(un.bytes(), StandardCharsets.ISO_8859_1).replaceAll("[ \\x00]+$", "");
                    if (text.chars().allMatch(c -> c < 0x80)) {
                        assertThat(String.join("\\", other.strings()).replaceAll(" +$", "")).as(at).isEqualTo(text);
                    }
                } else if (other.vr() != VR.SQ) {
                    assertThat(other.isEncapsulated()).as(at).isFalse();
                    assertThat(un.bytes()).as(at).isEqualTo(other.bytes());
                }
            } else {
                boolean ambiguous = Set.of(x.vr(), y.vr()).equals(Set.of(VR.OB, VR.OW))
                        || Set.of(x.vr(), y.vr()).equals(Set.of(VR.US, VR.SS));
                assertThat(ambiguous).as(at + " " + x.vr() + " vs " + y.vr()).isTrue();
                assertThat(y.bytes()).as(at).isEqualTo(x.bytes());
                assertThat(y.fragments() == null).as(at).isEqualTo(x.fragments() == null);
            }
        }
    }

    private static Set<Integer> tags(DicomDataset d) {
        Set<Integer> out = new TreeSet<>(Integer::compareUnsigned);
        for (DicomElement e : d.elements()) {
            if (Tag.element(e.tag()) != 0 && Tag.group(e.tag()) != 0x0002) {
                out.add(e.tag());
            }
        }
        return out;
    }
}
