package org.pacs.storage.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "users", description = "Users and roles in the security database.")
final class UserCommands implements Callable<Integer> {

    @ParentCommand
    PacsStorageCli root;

    @Override
    public Integer call() {
        throw Archive.notAvailable("users (the security storage)");
    }
}
