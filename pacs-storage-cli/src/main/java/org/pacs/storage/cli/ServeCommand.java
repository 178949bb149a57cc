package org.pacs.storage.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", description = "Runs the migration service in the foreground until SIGTERM or SIGINT, then"
        + " stops cleanly once in-flight migrations have committed.")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    PacsStorageCli root;

    @Override
    public Integer call() {
        try (Archive archive = root.openArchive()) {
            throw Archive.notAvailable("serve (the HSM migration service)");
        }
    }
}
