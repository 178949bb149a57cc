package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** C-ECHO and the A-ASSOCIATE-RJ cases, against DCMTK's echoscu and findscu. */
class EchoAndRejectTest extends DimseTestBed {

    @BeforeEach
    void dcmtk() {
        assumeTrue(Dcmtk.available("echoscu"), "DCMTK echoscu is not installed (apt-get install dcmtk)");
    }

    @Test
    void echoscuGetsSuccess() throws Exception {
        start(config());
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("echoscu", "-v", "-aet", "SCU", "-aec", "PACS", "127.0.0.1", port()));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("Received Echo Response (Success)");
        assertThat(events).extracting(DimseAuditSink.Event::operation).contains("ASSOCIATE", "C-ECHO", "RELEASE");
        assertThat(events).filteredOn(e -> e.operation().equals("C-ECHO")).allMatch(e -> e.callingAe().equals("SCU"));
    }

    @Test
    void repeatedEchoWithSmallPdus() throws Exception {
        start(config().withMaxPduLength(4096));
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("echoscu", "--repeat", "5", "--call", "PACS", "--max-pdu", "4096",
                "127.0.0.1", port()));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(events).filteredOn(e -> e.operation().equals("C-ECHO")).hasSize(5);
    }

    @Test
    void unknownCalledAeTitleIsRejected() throws Exception {
        start(config());
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("echoscu", "-aec", "NOTPACS", "127.0.0.1", port()));
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("Called AE Title Not Recognized");
        assertThat(events).extracting(DimseAuditSink.Event::operation).containsExactly("REJECT");
    }

    @Test
    void callingAeTitleNotOnTheAllowListIsRejected() throws Exception {
        start(config().withAllowedCallingAeTitles(List.of("MODALITY1")));
        Dcmtk.Result bad = Dcmtk.run(Dcmtk.cmd("echoscu", "-aet", "INTRUDER", "-aec", "PACS", "127.0.0.1", port()));
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.output()).contains("Calling AE Title Not Recognized");
        Dcmtk.Result good = Dcmtk.run(Dcmtk.cmd("echoscu", "-aet", "MODALITY1", "-aec", "PACS", "127.0.0.1", port()));
        assertThat(good.exit()).as(good.output()).isZero();
    }

    @Test
    void associationsBeyondTheLimitAreRejectedAsTransient() throws Exception {
        start(config().withMaxAssociations(1));
        try (java.net.Socket held = new java.net.Socket("127.0.0.1", server.port())) {
            // One association established and kept open...
            held.getOutputStream().write(HostilePeerTest.pdu(PduReader.ASSOCIATE_RQ,
                    HostilePeerTest.echoRequest().encode()));
            assertThat(held.getInputStream().read()).isEqualTo(PduReader.ASSOCIATE_AC);
            // ...so the next one is refused for now: transient, local limit exceeded.
            Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("echoscu", "-aec", "PACS", "127.0.0.1", port()));
            assertThat(r.exit()).isNotZero();
            assertThat(r.output()).contains("Rejected Transient").contains("Local Limit Exceeded");
        }
        org.awaitility.Awaitility.await().until(() -> server.activeAssociations() == 0);
        Dcmtk.Result again = Dcmtk.run(Dcmtk.cmd("echoscu", "-aec", "PACS", "127.0.0.1", port()));
        assertThat(again.exit()).as(again.output()).isZero();
    }

    @Test
    void noAcceptablePresentationContextIsRejected() throws Exception {
        assumeTrue(Dcmtk.available("findscu"), "DCMTK findscu is not installed");
        start(config());
        // Modality Worklist is not offered: the only proposed context is refused, so the association is.
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("findscu", "-W", "-aec", "PACS", "-k", "PatientName=", "127.0.0.1", port()));
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("Association Rejected").contains("Rejected Permanent");
        assertThat(events).extracting(DimseAuditSink.Event::operation).containsExactly("REJECT");
    }
}
