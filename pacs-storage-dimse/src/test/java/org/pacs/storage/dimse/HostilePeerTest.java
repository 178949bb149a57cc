package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.pacs.storage.dicom.TransferSyntax;

/**
 * Peers that break PS3.8: silence, huge or lying lengths, unknown PDUs, and 10,000 seeded mutations of recorded
 * DCMTK associations. Every connection must end (abort, reject, release or close), none may cost an internal error,
 * and the listener must go on serving.
 */
class HostilePeerTest extends DimseTestBed {

    @Override
    DimseConfig config() {
        return super.config().withArtimTimeout(Duration.ofMillis(300)).withIdleTimeout(Duration.ofMillis(500));
    }

    /** How a connection ended, from the last PDU the server sent. */
    enum End { ABORT, REJECT, RELEASE, CLOSED }

    @Test
    void silentClientIsDroppedAtTheArtimTimeout() throws Exception {
        start(config());
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            // Nothing sent: the server's ARTIM timer (300 ms here) must end the connection with an A-ABORT.
            assertThat(lastPdu(s.getInputStream())).isEqualTo(End.ABORT);
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.operation()).isEqualTo("ABORT");
            assertThat(e.subject()).contains("ARTIM");
        });
    }

    @Test
    void silentAssociationIsAbortedAtTheIdleTimeout() throws Exception {
        start(config());
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(pdu(PduReader.ASSOCIATE_RQ, echoRequest().encode()));
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(in.readUnsignedByte()).isEqualTo(PduReader.ASSOCIATE_AC);
            in.readUnsignedByte(); // reserved
            in.skipNBytes(in.readInt());
            // The association stands, and then nothing more is sent: the idle timeout (500 ms here) aborts it.
            assertThat(lastPdu(in)).isEqualTo(End.ABORT);
        }
        assertThat(events).extracting(DimseAuditSink.Event::subject).anyMatch(x -> x.contains("idle"));
    }

    @Test
    void hugeAndUnknownPdusAreAbortedWithoutWaitingOrAllocating() throws Exception {
        start(config().withIdleTimeout(Duration.ofMinutes(5)).withArtimTimeout(Duration.ofMinutes(5)));
        byte[] rq = pdu(PduReader.ASSOCIATE_RQ, echoRequest().encode());
        List<byte[]> attacks = List.of(
                // an A-ASSOCIATE-RQ claiming 4 GiB
                new byte[] {1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0, 0, 1},
                // an unknown PDU type
                new byte[] {(byte) 0x42, 0, 0, 0, 0, 4, 0, 0, 0, 0},
                // P-DATA before any association
                new byte[] {4, 0, 0, 0, 0, 6, 0, 0, 0, 2, 1, 3},
                // after a valid RQ: a P-DATA longer than the max PDU we announced
                concat(rq, new byte[] {4, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0}),
                // after a valid RQ: a PDV item longer than its PDU
                concat(rq, new byte[] {4, 0, 0, 0, 0, 8, 0, 0, 0x10, 0, 1, 3, 0, 0}));
        for (byte[] attack : attacks) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(20_000);
                // The connection stays open on our side: only the server's own checks can end it in time.
                s.getOutputStream().write(attack);
                assertThat(lastPdu(s.getInputStream())).isEqualTo(End.ABORT);
            }
        }
        assertThat(events).noneMatch(e -> e.subject().startsWith("internal error"));
    }

    @Test
    void tenThousandMutationsOfRecordedAssociationsEachEndAndTheListenerServesOn() throws Exception {
        assumeTrue(Dcmtk.available("echoscu") && Dcmtk.available("storescu") && Dcmtk.available("findscu")
                && Corpus.present(), "DCMTK tools or pydicom samples missing");
        start(config());
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(record(Dcmtk.cmd("echoscu", "-aec", "PACS"), List.of()));
        // a small max PDU, so the data set travels in several P-DATA fragments
        seeds.add(record(Dcmtk.cmd("storescu", "-aec", "PACS", "--max-pdu", "8192"),
                List.of(Corpus.PYDICOM.resolve("CT_small.dcm").toString())));
        seeds.add(record(Dcmtk.cmd("findscu", "-S", "-aec", "PACS", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "PatientName=C*", "-k", "StudyInstanceUID"), List.of()));
        for (byte[] seed : seeds) {
            // unmutated, a seed is a whole valid association
            assertThat(runInProcess(seed)).isEqualTo(End.RELEASE);
        }
        Random random = new Random(16);
        Map<End, Integer> ends = new EnumMap<>(End.class);
        for (int i = 0; i < 10_000; i++) {
            byte[] m = Mutations.mutate(seeds.get(i % seeds.size()), random);
            ends.merge(runInProcess(m), 1, Integer::sum);
        }
        assertThat(events).noneMatch(e -> e.subject().startsWith("internal error"));
        System.out.println("fuzz: how 10,000 mutated associations ended: " + ends);
        // Most mutations must be caught by the checks, not by the end of input.
        assertThat(ends.getOrDefault(End.ABORT, 0) + ends.getOrDefault(End.REJECT, 0)).as(ends.toString())
                .isGreaterThan(3_000);
        // Over TCP too, a sample, with the connection left open by the peer: the server must end each itself.
        for (int i = 0; i < 100; i++) {
            byte[] m = Mutations.mutate(seeds.get(i % seeds.size()), random);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(20_000);
                try {
                    s.getOutputStream().write(m);
                } catch (IOException e) {
                    continue; // the server ended it while we were still writing
                }
                lastPdu(s.getInputStream());
            }
        }
        Dcmtk.Result echo = Dcmtk.run(Dcmtk.cmd("echoscu", "-aec", "PACS", "127.0.0.1", port()));
        assertThat(echo.exit()).as(echo.output()).isZero();
        org.awaitility.Awaitility.await().until(() -> server.activeAssociations() == 0);
    }

    private byte[] record(List<String> tool, List<String> files) throws Exception {
        try (Recorder r = new Recorder(server.port())) {
            tool.add("127.0.0.1");
            tool.add(Integer.toString(r.port()));
            tool.addAll(files);
            Dcmtk.Result res = Dcmtk.run(tool);
            assertThat(res.exit()).as(res.output()).isZero();
            return r.clientBytes();
        }
    }

    /** The association code on in-memory streams: the input ends where the mutated bytes end. */
    private End runInProcess(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Association.Transport t = new Association.Transport() {
            public InputStream in() {
                return new ByteArrayInputStream(input);
            }

            public OutputStream out() {
                return out;
            }

            public String remoteAddress() {
                return "fuzz";
            }

            public void readTimeout(int millis) {
            }

            public void shutdownOutput() {
            }
        };
        new Association(t, server.config(), archive, events::add, false).run();
        try {
            return lastPdu(new ByteArrayInputStream(out.toByteArray()));
        } catch (IOException e) {
            throw new AssertionError("server output is not a PDU sequence", e);
        }
    }

    /** Reads PDUs until the stream ends; what the last one was. */
    static End lastPdu(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        End end = End.CLOSED;
        while (true) {
            int type;
            try {
                type = in.readUnsignedByte();
            } catch (EOFException e) {
                return end;
            }
            in.readUnsignedByte();
            long len = in.readInt() & 0xFFFFFFFFL;
            in.skipNBytes(len);
            end = switch (type) {
                case PduReader.ABORT -> End.ABORT;
                case PduReader.ASSOCIATE_RJ -> End.REJECT;
                case PduReader.RELEASE_RP -> End.RELEASE;
                default -> End.CLOSED;
            };
        }
    }

    static AssociatePdu echoRequest() {
        return new AssociatePdu(false, "PACS", "FUZZ", AssociatePdu.DICOM_APPLICATION_CONTEXT,
                List.of(new AssociatePdu.Context(1, 0, SopClasses.VERIFICATION,
                        List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN))),
                new AssociatePdu.UserInfo(16384, "1.2.3", "FUZZ", List.of(), false));
    }

    static byte[] pdu(int type, byte[] body) {
        byte[] out = new byte[body.length + 6];
        out[0] = (byte) type;
        PduWriter.putInt(out, 2, body.length);
        System.arraycopy(body, 0, out, 6, body.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
