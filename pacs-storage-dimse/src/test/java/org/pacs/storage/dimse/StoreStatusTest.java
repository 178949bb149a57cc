package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/** C-STORE failure statuses: what the archive's refusal reasons become on the wire. */
class StoreStatusTest extends DimseTestBed {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    @Test
    void unavailableArchiveAnswersOutOfResources() throws Exception {
        assumeTrue(Dcmtk.available("storescu") && Corpus.present(), "DCMTK storescu or pydicom samples missing");
        // A fake only for the fault: a real disk cannot be made to fail on cue here.
        archive = new FileStorage(FileStorageConfig.of(dir.resolve("a")).withFsync(false));
        start(config(), new ForwardingStorageBackend(archive) {
            @Override
            public StoredInstance store(InputStream in) {
                throw StorageException.unavailable("tier full (injected)", null);
            }
        });
        Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd("storescu", "-v", "-aec", "PACS", "127.0.0.1", port(),
                Corpus.PYDICOM.resolve("CT_small.dcm").toString()));
        assertThat(r.output()).contains("Refused: OutOfResources");
        assertThat(events).filteredOn(e -> e.operation().equals("C-STORE")).extracting(DimseAuditSink.Event::status)
                .containsExactly(0xA700);
        // The association survived the refusal and the next store (here: echo) works.
        Dcmtk.Result echo = Dcmtk.run(Dcmtk.cmd("echoscu", "-aec", "PACS", "127.0.0.1", port()));
        assertThat(echo.exit()).isZero();
    }

    @Test
    void undecodableDataSetAnswersCannotUnderstandAndStoresNothing() throws Exception {
        start(config());
        // DCMTK will not send bytes it cannot parse, so our own SCU side sends them.
        byte[] garbage = new byte[5000];
        new java.util.Random(7).nextBytes(garbage);
        try (StoreScu scu = StoreScu.open(config().withAeTitle("TESTSCU"), "PACS",
                new DimseConfig.Destination("127.0.0.1", server.port()),
                List.<String[]>of(new String[] {CT, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN}))) {
            int ctx = scu.context(CT, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).id();
            StoreScu.Result r = StoreScu.store(scu.channel(), ctx, 1, CT, "1.2.3.4",
                    (ch, id) -> ch.writeData(id, new ByteArrayInputStream(garbage), false), null, 0, -1);
            assertThat(Integer.toHexString(r.status())).isEqualTo("c000");
            // The association is still usable: a second, valid-looking UID with garbage again gets an answer.
            StoreScu.Result r2 = StoreScu.store(scu.channel(), ctx, 3, CT, "1.2.3/../5",
                    (ch, id) -> ch.writeData(id, new ByteArrayInputStream(garbage), false), null, 0, -1);
            assertThat(Integer.toHexString(r2.status())).isEqualTo("c000");
        }
        assertThat(archive.exists(SopInstanceUid.of("1.2.3.4"))).isFalse();
        assertThat(archive.list()).isEmpty();
    }

    @Test
    void sopClassOtherThanTheContextsIsRefused() throws Exception {
        start(config());
        Path ct = Corpus.PYDICOM.resolve("CT_small.dcm");
        assumeTrue(Corpus.present(), "pydicom samples missing");
        try (StoreScu scu = StoreScu.open(config().withAeTitle("TESTSCU"), "PACS",
                new DimseConfig.Destination("127.0.0.1", server.port()),
                List.<String[]>of(new String[] {CT, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN}));
             InputStream in = java.nio.file.Files.newInputStream(ct)) {
            int ctx = scu.context(CT, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).id();
            StoreScu.Result r = StoreScu.store(scu.channel(), ctx, 1, "1.2.840.10008.5.1.4.1.1.4", "1.2.3.4",
                    (ch, id) -> ch.writeData(id, in, false), null, 0, -1);
            assertThat(r.status()).isEqualTo(Status.SOP_CLASS_NOT_SUPPORTED);
        }
    }
}
