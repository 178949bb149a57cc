package org.pacs.storage.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.pacs.storage.testkit.FreePorts;

/**
 * Debian's Orthanc started on 127.0.0.1 for a comparison run (its DICOMweb plugin loaded when installed), with
 * the settings the peers notes give: TCP_NODELAY, no remote access, no authentication, every store accepted.
 */
final class Orthanc implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/Orthanc");
    static final Path DICOMWEB_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    static final String AE_TITLE = "ORTHANC";

    final int httpPort;
    final int dicomPort;
    private final Process process;

    private Orthanc(int httpPort, int dicomPort, Process process) {
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
        this.process = process;
    }

    /** Empty (with a line saying why) where Orthanc, or the plugin asked for, is not installed. */
    static Optional<Orthanc> start(Path work, boolean dicomWeb) throws Exception {
        if (!Files.isExecutable(BINARY) || (dicomWeb && !Files.isRegularFile(DICOMWEB_PLUGIN))) {
            System.out.println("Orthanc: not installed (apt-get install orthanc orthanc-dicomweb), no comparison");
            return Optional.empty();
        }
        int http = FreePorts.find();
        int dicom = FreePorts.find();
        Files.createDirectories(work);
        Path config = work.resolve("orthanc.json");
        Files.writeString(config, "{\"Name\":\"bench\",\"StorageDirectory\":\"" + work.resolve("o-storage")
                + "\",\"IndexDirectory\":\"" + work.resolve("o-index") + "\",\"HttpPort\":" + http + ",\"DicomPort\":"
                + dicom + ",\"DicomAet\":\"" + AE_TITLE + "\",\"RemoteAccessAllowed\":false,"
                + "\"AuthenticationEnabled\":false,\"DicomAlwaysAllowStore\":true,\"UnknownSopClassAccepted\":true,"
                + "\"DicomCheckCalledAet\":false,\"Plugins\":[" + (dicomWeb ? "\"" + DICOMWEB_PLUGIN + "\"" : "")
                + "],\"DicomWeb\":{\"Enable\":" + dicomWeb + ",\"Root\":\"/dicom-web/\"}}");
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), config.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("orthanc.log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Orthanc o = new Orthanc(http, dicom, pb.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!o.up()) {
            if (System.nanoTime() > deadline || !o.process.isAlive()) {
                o.close();
                throw new IllegalStateException("Orthanc did not start: " + Files.readString(work.resolve("orthanc.log")));
            }
            Thread.onSpinWait();
        }
        return Optional.of(o);
    }

    String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    private boolean up() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/system"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
