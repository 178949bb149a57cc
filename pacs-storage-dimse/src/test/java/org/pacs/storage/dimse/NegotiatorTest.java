package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pacs.storage.dicom.TransferSyntax;

/** Presentation-context negotiation details DCMTK's tools do not exercise, checked on the encoded AC. */
class NegotiatorTest {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String WORKLIST = "1.2.840.10008.5.1.4.31";
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    static final String SC = "1.2.840.10008.5.1.4.1.1.7";

    @Test
    void eachContextGetsTheFirstSupportedSyntaxAndRolesAndWindowAreAnswered() throws Exception {
        AssociatePdu rq = new AssociatePdu(false, "PACS", "SCU", AssociatePdu.DICOM_APPLICATION_CONTEXT, List.of(
                new AssociatePdu.Context(1, 0, CT, List.of("1.2.3.4.5.private", TransferSyntax.JPEG_2000,
                        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)),
                new AssociatePdu.Context(3, 0, WORKLIST, List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)),
                new AssociatePdu.Context(5, 0, SopClasses.STUDY_ROOT_FIND, List.of(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)),
                new AssociatePdu.Context(7, 0, SopClasses.STUDY_ROOT_GET, List.of(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)),
                // a class the C-GET SCU receives: Big Endian first is passed over for the LE proposal
                new AssociatePdu.Context(9, 0, MR, List.of(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)),
                // and one it only sends on keeps Big Endian
                new AssociatePdu.Context(11, 0, SC, List.of(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN))),
                new AssociatePdu.UserInfo(0, "1.2.3", "SCU", List.of(new AssociatePdu.Role(CT, false, true),
                        new AssociatePdu.Role(MR, false, true),
                        new AssociatePdu.Role(WORKLIST, true, false)), true));
        // Through the wire format both ways, as a peer would send it.
        AssociatePdu parsed = AssociatePdu.parse(false, rq.encode());
        Negotiator.Decision d = new Negotiator(DimseConfig.defaults()).decide(parsed);
        assertThat(d.rejection()).isNull();
        AssociatePdu ac = AssociatePdu.parse(true, d.accept().encode());
        assertThat(ac.contexts()).extracting(AssociatePdu.Context::result).containsExactly(0, 3, 4, 0, 0, 0);
        assertThat(ac.contexts().get(0).transferSyntaxes()).containsExactly(TransferSyntax.JPEG_2000);
        assertThat(ac.contexts().get(3).transferSyntaxes()).containsExactly(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        assertThat(ac.contexts().get(4).transferSyntaxes()).containsExactly(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        assertThat(ac.contexts().get(5).transferSyntaxes()).containsExactly(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        assertThat(ac.userInfo().roles()).containsExactly(new AssociatePdu.Role(CT, false, true),
                new AssociatePdu.Role(MR, false, true));
        assertThat(ac.userInfo().asyncWindow()).isTrue();
        assertThat(ac.userInfo().maxPduLength()).isEqualTo(DimseConfig.DEFAULT_MAX_PDU_LENGTH);
        assertThat(d.contexts()).containsOnlyKeys(1, 7, 9, 11);
    }

    @Test
    void rejectionsCarryTheStandardsResultSourceAndReason() throws Exception {
        DimseConfig config = DimseConfig.defaults().withAllowedCallingAeTitles(List.of("GOOD"));
        AssociatePdu.UserInfo user = new AssociatePdu.UserInfo(16384, "1.2.3", "X", List.of(), false);
        List<AssociatePdu.Context> echo = List.of(new AssociatePdu.Context(1, 0, SopClasses.VERIFICATION,
                List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)));
        record Case(AssociatePdu rq, int source, int reason) {
        }
        for (Case c : List.of(
                new Case(new AssociatePdu(false, "PACS", "GOOD", "1.2.3.4", echo, user), 1, 2),
                new Case(new AssociatePdu(false, "OTHER", "GOOD", AssociatePdu.DICOM_APPLICATION_CONTEXT, echo, user), 1, 7),
                new Case(new AssociatePdu(false, "PACS", "BAD", AssociatePdu.DICOM_APPLICATION_CONTEXT, echo, user), 1, 3),
                new Case(new AssociatePdu(false, "PACS", "GOOD", AssociatePdu.DICOM_APPLICATION_CONTEXT,
                        List.of(new AssociatePdu.Context(1, 0, WORKLIST, List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN))),
                        user), 1, 1))) {
            Negotiator.Rejection r = new Negotiator(config).decide(c.rq()).rejection();
            assertThat(r).as(c.toString()).isNotNull();
            assertThat(r.result()).isEqualTo(Negotiator.Rejection.PERMANENT);
            assertThat(r.source()).isEqualTo(c.source());
            assertThat(r.reason()).isEqualTo(c.reason());
        }
    }

    @Test
    void configurationRejectsBadValuesWithTheKeyInTheMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DimseConfig.defaults().withMaxPduLength(100))
                .hasMessageContaining("dimse.max-pdu-length");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DimseConfig.defaults().withAeTitle("A\\B"))
                .hasMessageContaining("dimse.ae-title");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DimseConfig.Destination("h", 0))
                .hasMessageContaining("port");
        assertThat(DimseConfig.defaults()).satisfies(d -> {
            assertThat(d.aeTitle()).isEqualTo("PACS");
            assertThat(d.port()).isEqualTo(11112);
            assertThat(d.bind()).isEqualTo("127.0.0.1");
            assertThat(d.maxPduLength()).isEqualTo(116794);
            assertThat(d.allowedCallingAeTitles()).isEmpty();
            assertThat(d.destinations()).isEmpty();
        });
    }
}
