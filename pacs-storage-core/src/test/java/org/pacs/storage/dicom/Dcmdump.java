package org.pacs.storage.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs DCMTK's dcmdump as a process and reads the top-level values it prints. */
final class Dcmdump {

    private static final Pattern LINE = Pattern.compile("^\\(([0-9a-f]{4}),([0-9a-f]{4})\\) (\\S\\S) (.*?)\\s+#\\s*\\d+,");
    private static final Pattern PIXEL = Pattern.compile("^\\(7fe0,0010\\) (\\S\\S) (.*)#\\s*(\\d+|u/l),");
    private static final Pattern FRAGMENT = Pattern.compile("^  \\(fffe,e000\\) pi .*#\\s*(\\d+), 1 Item");
    private static final Pattern SYNTAX = Pattern.compile("^# Used TransferSyntax: (.*)$");

    /**
     * What dcmdump printed: top-level values by tag ("" for no value), the data set's transfer syntax name, and the
     * top-level Pixel Data's VR and value length, or its fragment lengths when encapsulated (else empty).
     */
    record Dump(boolean ok, boolean utf8, Map<Integer, String> values, String datasetSyntax, String pixelVr,
                long pixelLength, List<Long> fragmentLengths) {
    }

    private Dcmdump() {
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/dcmdump")) || onPath();
    }

    private static boolean onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "dcmdump"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Dumps all files with one dcmdump process (its dictionary load dominates the cost of one file), converting to
     * UTF-8 (+U8); files DCMTK cannot convert (ISO 2022 Japanese: iconv lacks it) are dumped again raw, one by one.
     */
    static Map<Path, Dump> dumpAll(List<Path> files) throws IOException, InterruptedException {
        Map<Path, Dump> out = run(files, true);
        for (Path f : files) {
            if (!out.get(f).ok()) {
                out.put(f, run(List.of(f), false).get(f));
            }
        }
        return out;
    }

    private static Map<Path, Dump> run(List<Path> files, boolean utf8) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dcmdump", "-Un", "+L", "+F"));
        if (utf8) {
            cmd.add("+U8");
        }
        files.forEach(f -> cmd.add(f.toString()));
        Path err = Files.createTempFile("dcmdump", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            byte[] stdout = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("dcmdump did not finish");
            }
            List<String> errors = Files.readAllLines(err, StandardCharsets.ISO_8859_1);
            String text = new String(stdout, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Map<Path, Dump> result = new HashMap<>();
            String[] sections = text.split("(?m)^# dcmdump \\(\\d+/\\d+\\): ");
            for (String section : sections) {
                int nl = section.indexOf('\n');
                if (nl < 0) {
                    continue;
                }
                Path f = Path.of(section.substring(0, nl).trim());
                boolean failed = errors.stream().anyMatch(l -> (l.startsWith("E:") || l.startsWith("F:"))
                        && l.endsWith(": " + f));
                result.put(f, parse(section.substring(nl + 1), !failed, utf8));
            }
            for (Path f : files) {
                result.putIfAbsent(f, new Dump(false, utf8, Map.of(), null, null, -1, List.of()));
            }
            return result;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static Dump parse(String text, boolean ok, boolean utf8) {
        Map<Integer, String> values = new HashMap<>();
        String syntax = null;
        String pixelVr = null;
        long pixelLength = -1;
        List<Long> fragments = new ArrayList<>();
        boolean inPixelSequence = false;
        for (String line : text.split("\n")) {
            Matcher s = SYNTAX.matcher(line);
            if (s.matches()) {
                syntax = s.group(1).trim();
            }
            Matcher px = PIXEL.matcher(line);
            if (pixelVr == null && px.find()) {
                pixelVr = px.group(1);
                inPixelSequence = px.group(3).equals("u/l");
                pixelLength = inPixelSequence ? -1 : Long.parseLong(px.group(3));
            } else if (inPixelSequence) {
                Matcher fr = FRAGMENT.matcher(line);
                if (fr.find()) {
                    fragments.add(Long.parseLong(fr.group(1)));
                } else if (!line.startsWith("  ")) {
                    inPixelSequence = false;
                }
            }
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                int tag = (Integer.parseInt(m.group(1), 16) << 16) | Integer.parseInt(m.group(2), 16);
                values.putIfAbsent(tag, value(m.group(4)));
            }
        }
        return new Dump(ok, utf8, values, syntax, pixelVr, pixelLength, fragments);
    }

    private static String value(String printed) {
        int open = printed.indexOf('[');
        int close = printed.lastIndexOf(']');
        return open >= 0 && close > open ? printed.substring(open + 1, close) : "";
    }

    /** Transfer syntax UID for the names dcmdump prints for the uncompressed syntaxes. */
    static Optional<String> syntaxUid(String name) {
        return Optional.ofNullable(switch (name == null ? "" : name) {
            case "Little Endian Explicit" -> TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
            case "Little Endian Implicit" -> TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
            case "Big Endian Explicit" -> TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
            case "Deflated Explicit VR Little Endian" -> TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
            default -> null;
        });
    }
}
