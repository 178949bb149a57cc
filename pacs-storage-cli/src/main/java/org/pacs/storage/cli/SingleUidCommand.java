package org.pacs.storage.cli;

import java.util.concurrent.Callable;
import org.pacs.storage.SopInstanceUid;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * A command about one instance: parses the UID (a malformed one is a usage error before anything opens),
 * opens the archive, runs, closes it. Subclasses only say what to do and what to print.
 */
abstract class SingleUidCommand implements Callable<Integer> {

    @ParentCommand
    PacsStorageCli root;

    @Parameters(index = "0", paramLabel = "UID")
    String uid;

    /** Returns the exit code. */
    abstract int run(Archive archive, SopInstanceUid uid);

    @Override
    public final Integer call() {
        SopInstanceUid u = Uids.parse(uid);
        try (Archive archive = root.openArchive()) {
            return run(archive, u);
        }
    }
}
