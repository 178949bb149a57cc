package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersIT {

    @TempDir
    Path dir;

    @Test
    void manageUsersWithPasswordsFromStdinNeverFromArguments() {
        Cli cli = new Cli(dir);

        Cli.Result add = cli.runWithInput("correct horse battery\n", "users", "add", "alice", "--roles",
                "administrator", "--json");
        assertThat(add.exit()).as(add.toString()).isZero();
        assertThat(Cli.jsonField(add.out(), "username")).isEqualTo("alice");
        assertThat(add.out()).doesNotContain("correct horse");
        assertThat(cli.run("users", "add", "bob", "--roles", "viewer", "--no-password").exit()).isZero();

        Cli.Result noPassword = cli.runWithInput("", "users", "add", "carol");
        assertThat(noPassword.exit()).isEqualTo(2);
        assertThat(noPassword.err()).contains("stdin");
        assertThat(cli.run("users", "add", "carol", "--password", "hunter2").exit()).isEqualTo(2);

        Cli.Result duplicate = cli.run("users", "add", "ALICE", "--no-password");
        assertThat(duplicate.exit()).isEqualTo(1);
        assertThat(duplicate.err().strip().lines()).hasSize(1);

        Cli.Result list = cli.run("users", "list", "--json");
        assertThat(Cli.jsonFields(list.out(), "username")).containsExactly("alice", "bob");

        Cli.Result show = cli.run("users", "show", "bob");
        assertThat(show.out()).contains("VIEWER").contains("READ STUDY");

        assertThat(cli.run("users", "set-roles", "bob", "technologist", "radiologist").exit()).isZero();
        assertThat(cli.run("users", "show", "bob", "--json").out()).contains("TECHNOLOGIST").contains("RADIOLOGIST");

        assertThat(cli.runWithInput("new pass phrase\n", "users", "set-password", "bob").exit()).isZero();

        Cli.Result denied = cli.run("users", "--as", "bob", "add", "dave", "--no-password");
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err()).contains("bob").contains("may not");
        assertThat(cli.run("users", "--as", "alice", "add", "dave", "--no-password").exit()).isZero();

        assertThat(cli.run("users", "disable", "bob").exit()).isZero();
        assertThat(cli.run("users", "show", "bob").out()).contains("disabled");
        assertThat(cli.run("users", "delete", "bob").exit()).isZero();
        Cli.Result gone = cli.run("users", "show", "bob");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err().strip().lines()).hasSize(1);
        assertThat(Cli.jsonFields(cli.run("users", "list", "--json").out(), "username")).containsExactly("alice", "dave");
    }
}
