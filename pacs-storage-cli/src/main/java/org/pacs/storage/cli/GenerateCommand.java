package org.pacs.storage.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pacs.storage.cli.config.Units;
import org.pacs.storage.dicom.TransferSyntax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "generate", description = "Writes valid synthetic DICOM instances (fresh UIDs, realistic patient and"
        + " study attributes) for demos, tests and benchmarks.")
final class GenerateCommand implements Callable<Integer> {

    @ParentCommand
    PacsStorageCli root;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Where to write.")
    Path output;

    @Option(names = "--studies", defaultValue = "1", description = "Studies (one patient each); default 1.")
    int studies;

    @Option(names = "--series", defaultValue = "1", description = "Series per study; default 1.")
    int series;

    @Option(names = "--instances", defaultValue = "1", description = "Instances per series; default 1.")
    int instances;

    @Option(names = "--bytes", defaultValue = "512KiB", converter = SizeConverter.class, paramLabel = "SIZE",
            description = "Pixel data per instance, e.g. 64KiB or 2GiB; default 512KiB.")
    long bytes;

    @Option(names = "--transfer-syntax", paramLabel = "UID", defaultValue = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
            description = "1.2.840.10008.1.2.1 (Explicit VR LE, default) or 1.2.840.10008.1.2 (Implicit VR LE).")
    String transferSyntax;

    @Option(names = "--seed", description = "Seed for names and dates, for reproducible attributes (UIDs are"
            + " always fresh).")
    Long seed;

    @Override
    public Integer call() {
        if (studies < 1 || series < 1 || instances < 1) {
            throw new UsageException("--studies, --series and --instances must each be at least 1.");
        }
        SyntheticStudies.Result r = new SyntheticStudies(seed != null ? seed : System.nanoTime())
                .generate(output, studies, series, instances, bytes, transferSyntax);
        root.print(toJson(r), "Generated " + r.files() + " instances in " + r.studies().size() + " studies under "
                + r.directory() + " (" + Units.humanBytes(r.bytes()) + ", " + Units.humanBytes(r.pixelBytesPerInstance())
                + " pixel data each).");
        return PacsStorageCli.OK;
    }

    static Map<String, Object> toJson(SyntheticStudies.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("directory", r.directory().toString());
        m.put("files", r.files());
        m.put("bytes", r.bytes());
        m.put("pixelBytesPerInstance", r.pixelBytesPerInstance());
        List<Map<String, Object>> studies = r.studies().stream().map(s -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("PatientID", s.patientId());
            x.put("PatientName", s.patientName());
            x.put("StudyInstanceUID", s.studyInstanceUid());
            x.put("StudyDate", s.studyDate());
            x.put("Modality", s.modality());
            x.put("NumberOfStudyRelatedInstances", s.sopInstanceUids().size());
            return x;
        }).toList();
        m.put("studies", studies);
        return m;
    }
}
