package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every element, at every nesting level, of each pydicom sample whose data set is Implicit VR has the VR DCMTK's
 * dcmdump gives it: the VRs come from our PS3.6 table, none is UN for want of a dictionary entry.
 */
class ImplicitVrConformanceTest {

    private static final Pattern LINE = Pattern.compile("^( *)\\(([0-9a-f]{4}),([0-9a-f]{4})\\) (\\S\\S) ");
    private static final String IMPLICIT = "# Used TransferSyntax: Little Endian Implicit";

    @TestFactory
    Stream<DynamicTest> everyImplicitVrElementHasDcmdumpsVr() throws IOException, InterruptedException {
        assumeTrue(Samples.corpusPresent(), "python3-pydicom sample data not installed");
        assumeTrue(Dcmdump.available(), "dcmtk (dcmdump) not installed");
        List<Path> files = Samples.corpus();
        Map<Path, Dcmdump.Dump> ok = Dcmdump.dumpAll(files);
        Map<Path, Map<String, String>> theirs = new LinkedHashMap<>();
        for (Path f : files) {
            if (ok.get(f).ok()) {
                dataSetVrs(f).ifPresent(vrs -> theirs.put(f, vrs));
            }
        }
        assertThat(theirs).as("implicit-VR samples dcmdump reads").hasSizeGreaterThanOrEqualTo(10);
        return theirs.entrySet().stream().map(e -> DynamicTest.dynamicTest(
                Samples.PYDICOM_DATA.relativize(e.getKey()).toString(), () -> check(e.getKey(), e.getValue())));
    }

    private static void check(Path file, Map<String, String> theirs) {
        Map<String, String> ours = new HashMap<>();
        collect(DicomReader.read(file).dataset(), "", ours);
        int compared = 0;
        for (Map.Entry<String, String> e : theirs.entrySet()) {
            String path = e.getKey();
            String vr = switch (e.getValue()) {
                case "up" -> "UL"; // DCMTK's name for the DICOMDIR offsets, UL in PS3.6
                case "??" -> "UN";
                default -> e.getValue();
            };
            int tag = Integer.parseUnsignedInt(path.substring(path.length() - 8), 16);
            boolean privateData = (Tag.group(tag) & 1) == 1 && Tag.element(tag) > 0xFF;
            if (privateData && !vr.equals("UN") && !vr.equals("SQ")) {
                continue; // DCMTK also has private dictionaries; ours is PS3.6 only, so such tags read as UN
            }
            assertThat(ours.get(path)).as("VR of %s in %s", path, file).isEqualTo(vr);
            compared++;
        }
        assertThat(compared).as("elements compared").isGreaterThan(0);
        assertThat(ours.keySet()).as("elements we read that dcmdump does not show")
                .allMatch(k -> theirs.containsKey(k) || k.endsWith("/7FE00010"));
    }

    /** Paths such as "300A0010/1/300A0012" (sequence tag, 0-based item index, tag) to VR names. */
    private static void collect(DicomDataset ds, String prefix, Map<String, String> out) {
        for (DicomElement e : ds.elements()) {
            String path = prefix + String.format("%08X", e.tag());
            out.put(path, e.vr().name());
            for (int i = 0; i < e.items().size(); i++) {
                collect(e.items().get(i), path + "/" + i + "/", out);
            }
        }
    }

    /** The data set's elements as dcmdump prints them, when its data set is Implicit VR LE. */
    private static Optional<Map<String, String>> dataSetVrs(Path file) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder("dcmdump", "-q", "+L", "-Un", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("dcmdump did not finish for " + file);
        }
        int dataSet = text.indexOf("# Dicom-Data-Set\n");
        if (dataSet < 0 || !text.startsWith(IMPLICIT, text.indexOf('\n', dataSet) + 1)) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        // Elements are indented 4 spaces per nesting level, their items 2 more: prefix k is that of level 2k.
        List<String> prefixes = new ArrayList<>(List.of(""));
        Map<Integer, String> lastElement = new HashMap<>();
        Map<String, Integer> itemCounts = new HashMap<>();
        for (String line : text.substring(dataSet).split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            int level = m.group(1).length() / 2;
            String tag = (m.group(2) + m.group(3)).toUpperCase();
            if (tag.equals("FFFEE000") && level % 2 == 1 && lastElement.containsKey(level - 1)) {
                String seq = lastElement.get(level - 1);
                int index = itemCounts.merge(seq, 1, Integer::sum) - 1;
                set(prefixes, (level + 1) / 2, seq + "/" + index + "/");
            } else if (!tag.startsWith("FFFE") && level % 2 == 0 && level / 2 < prefixes.size()) {
                String path = prefixes.get(level / 2) + tag;
                out.put(path, m.group(4));
                lastElement.put(level, path);
            }
        }
        return Optional.of(out);
    }

    private static void set(List<String> prefixes, int index, String value) {
        while (prefixes.size() <= index) {
            prefixes.add("");
        }
        prefixes.set(index, value);
        while (prefixes.size() > index + 1) {
            prefixes.remove(prefixes.size() - 1);
        }
    }
}
