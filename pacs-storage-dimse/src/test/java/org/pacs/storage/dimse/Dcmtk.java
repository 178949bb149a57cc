package org.pacs.storage.dimse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs DCMTK's network tools as processes, with TCP_NODELAY=1 (see the peers notes: Nagle costs 40x). */
final class Dcmtk {

    record Result(int exit, String output) {
    }

    private Dcmtk() {
    }

    static boolean available(String tool) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin" : path + ":/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, null);
    }

    static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Starts a long-running tool (storescp) and returns the process; the caller destroys it. */
    static Process start(List<String> command, Path dir, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TCP_NODELAY", "1");
        pb.directory(dir.toFile());
        return pb.start();
    }

    static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
