package org.pacs.storage.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.pacs.storage.StorageException;

/**
 * Reads a password from the terminal (no echo, asked twice) or, in scripts, from the first line of stdin. Never
 * from an argument: arguments show up in shell history and in every process listing.
 */
final class Passwords {

    private Passwords() {
    }

    static char[] read(String username) {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("New password for %s: ", username);
            char[] second = console.readPassword("Repeat it: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new UsageException("The two passwords differ; run the command again.");
            }
            Arrays.fill(second, '\0');
            return first;
        }
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null || line.isEmpty()) {
                throw new UsageException("No password on stdin; pipe one line (e.g. from a secrets file), or run"
                        + " on a terminal to be prompted, or use --no-password.");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw StorageException.unavailable("Cannot read the password from stdin: " + e.getMessage() + ".", e);
        }
    }
}
