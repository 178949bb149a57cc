package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves OHIF's prebuilt files from {@code /} to a sub-path without rebuilding them. The published build assumes
 * it is served at the root (webpack's {@code PUBLIC_URL=/}): index.html names {@code /app.bundle...js}, each
 * webpack runtime sets {@code __webpack_require__.p = "/"} for its chunks, workers and WASM, and the CSS loads
 * fonts by {@code url(/...)}. OHIF documents a sub-path only as a rebuild with another {@code PUBLIC_URL}; this
 * is that rebuild's one difference, applied as a literal replacement while the file streams out.
 * <p>Where the literal occurs is found once per file version (size and modification time) and only the offsets
 * are kept, so a 17 MB bundle is neither held in memory nor scanned twice. A file without the literal is left
 * to the plain static handler.
 */
final class PublicPathRewrite {

    /** Every occurrence of {@code from} becomes {@code to}. */
    record Rule(byte[] from, byte[] to) {
        Rule {
            if (from.length == 0) {
                throw new IllegalArgumentException("empty pattern");
            }
        }

        static Rule of(String from, String to) {
            return new Rule(from.getBytes(StandardCharsets.UTF_8), to.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Where one version of a file holds the rule's literal. */
    record Scan(long size, FileTime modified, long[] offsets) {
        long rewrittenLength(Rule rule) {
            return size + (long) offsets.length * (rule.to().length - rule.from().length);
        }
    }

    private static final int BUFFER = 1 << 16;

    private final String prefix;
    /** Bounded by the files the viewer directory holds: only existing regular files are scanned. */
    private final Map<Path, Scan> scans = new ConcurrentHashMap<>();

    /** @param prefix the sub-path with both slashes, e.g. {@code /viewer/} */
    PublicPathRewrite(String prefix) {
        this.prefix = prefix;
    }

    /** The rule for a file of the build, or null for files that hold no root-relative URL (images, WASM). */
    Rule ruleFor(String fileName) {
        if (fileName.endsWith(".html")) {
            return Rule.of("=\"/", "=\"" + prefix); // src="/, href="/ and window.PUBLIC_URL="/"
        }
        if (fileName.endsWith(".js")) {
            return Rule.of("__webpack_require__.p = \"/\";", "__webpack_require__.p = \"" + prefix + "\";");
        }
        if (fileName.endsWith(".css")) {
            return Rule.of("url(/", "url(" + prefix);
        }
        if (fileName.equals("manifest.json")) {
            return Rule.of("\": \"/", "\": \"" + prefix); // "src": "/assets/...", "start_url": "/"
        }
        return null;
    }

    /** The file's current scan, reusing the last one while size and modification time are unchanged. */
    Scan scan(Path file, Rule rule) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        Scan cached = scans.get(file);
        if (cached != null && cached.size() == a.size() && cached.modified().equals(a.lastModifiedTime())) {
            return cached;
        }
        Scan fresh = new Scan(a.size(), a.lastModifiedTime(), find(file, rule.from()));
        scans.put(file, fresh);
        return fresh;
    }

    /** Streams the file with the literal replaced at the scanned offsets. */
    static void write(Path file, Rule rule, Scan scan, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER];
        long position = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (long offset : scan.offsets()) {
                copy(in, out, offset - position, buf);
                out.write(rule.to());
                in.skipNBytes(rule.from().length);
                position = offset + rule.from().length;
            }
            copy(in, out, scan.size() - position, buf);
        }
    }

    private static void copy(InputStream in, OutputStream out, long count, byte[] buf) throws IOException {
        while (count > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, count));
            if (n < 0) {
                throw new IOException("the file shrank while it was being sent; reload the page");
            }
            out.write(buf, 0, n);
            count -= n;
        }
    }

    /** Offsets of every non-overlapping occurrence, read in blocks that overlap by the pattern's length - 1. */
    static long[] find(Path file, byte[] pattern) throws IOException {
        long[] found = new long[4];
        int count = 0;
        byte[] buf = new byte[BUFFER + pattern.length];
        int kept = 0;      // bytes carried over from the previous block
        long base = 0;     // file offset of buf[0]
        long skipUntil = 0; // a match's tail carried over must not start another
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf, kept, BUFFER)) > 0) {
                int end = kept + n;
                for (int i = 0; i + pattern.length <= end; i++) {
                    if (base + i >= skipUntil && buf[i] == pattern[0]
                            && Arrays.equals(buf, i, i + pattern.length, pattern, 0, pattern.length)) {
                        if (count == found.length) {
                            found = Arrays.copyOf(found, count * 2);
                        }
                        found[count++] = base + i;
                        skipUntil = base + i + pattern.length;
                        i += pattern.length - 1;
                    }
                }
                kept = Math.min(pattern.length - 1, end);
                System.arraycopy(buf, end - kept, buf, 0, kept);
                base += end - kept;
            }
        }
        return Arrays.copyOf(found, count);
    }
}
