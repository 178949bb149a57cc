package org.pacs.storage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.pacs.storage.StorageException;
import org.pacs.storage.security.AccessControl;
import org.pacs.storage.security.Action;
import org.pacs.storage.security.ResourceType;
import org.pacs.storage.security.Role;
import org.pacs.storage.security.SecurityStorage;
import org.pacs.storage.security.SqliteSecurityStorage;
import org.pacs.storage.security.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Users and roles in the security database ({@code security.database}). Changes are made as {@code --as USER}
 * (checked with {@link AccessControl} and recorded in the audit log), or as the system actor when omitted: whoever
 * can write the database file has that power anyway.
 */
@Command(name = "users", description = "Users and roles in the security database.",
        subcommands = {UserCommands.Add.class, UserCommands.ListUsers.class, UserCommands.Show.class,
            UserCommands.SetRoles.class, UserCommands.SetPassword.class, UserCommands.Disable.class,
            UserCommands.Enable.class, UserCommands.Delete.class})
final class UserCommands implements Callable<Integer> {

    @ParentCommand
    PacsStorageCli root;

    @Option(names = "--as", paramLabel = "USERNAME", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Act as this user: its roles must allow the change, and the audit log names it.")
    String actingAs;

    @Override
    public Integer call() {
        throw new UsageException("users needs a subcommand: add, list, show, set-roles, set-password, disable,"
                + " enable or delete.");
    }

    /** Opens the database and resolves the actor, checking its permission for {@code action} on users. */
    private <T> T withStorage(Action action, java.util.function.BiFunction<SecurityStorage, String, T> body) {
        Path db = Path.of(root.config().security().database());
        try (SecurityStorage s = new SqliteSecurityStorage(db)) {
            String actor = SecurityStorage.SYSTEM_ACTOR;
            if (actingAs != null) {
                User u = s.getUserByUsername(actingAs);
                AccessControl.check(u, ResourceType.USER, action);
                actor = u.id();
            }
            return body.apply(s, actor);
        }
    }

    static Map<String, Object> json(User u) {
        return Json.object("id", u.id(), "username", u.username(),
                "roles", u.roles().stream().map(Enum::name).toList(), "active", u.active(),
                "createdAt", u.createdAt(), "updatedAt", u.updatedAt());
    }

    static String text(User u) {
        return String.format("%-20s %-8s %s", u.username(), u.active() ? "active" : "disabled",
                u.roles().isEmpty() ? "(no roles)" : String.join(",", u.roles().stream().map(Enum::name).toList()));
    }

    static List<Role> roles(List<String> names) {
        List<Role> out = new ArrayList<>();
        for (String n : names) {
            for (String part : n.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    out.add(Role.parse(part));
                } catch (StorageException e) {
                    throw new UsageException(e.getMessage(), e);
                }
            }
        }
        return out;
    }

    @Command(name = "add", description = "Creates a user; the password is prompted for, or read from stdin.")
    static final class Add extends UsernameCommand {

        @Option(names = "--roles", split = ",", paramLabel = "ROLE", description = "viewer, technologist,"
                + " radiologist, administrator, system (comma-separated).")
        List<String> roles = new ArrayList<>();

        @Option(names = "--id", description = "Id from another system (LDAP GUID, e-mail); default: a fresh UUID.")
        String id;

        @Option(names = "--no-password", description = "Create the user without a password.")
        boolean noPassword;

        @Override
        public Integer call() {
            List<Role> parsed = roles(roles);
            User u = User.of(id != null ? id : UUID.randomUUID().toString(), username, parsed);
            char[] pw = noPassword ? null : Passwords.read(username);
            try {
                User created = users.withStorage(Action.WRITE,
                        (s, actor) -> s.createUser(actor, pw == null ? u : u.withPassword(pw)));
                users.root.print(json(created), "created " + text(created));
            } finally {
                if (pw != null) {
                    Arrays.fill(pw, '\0');
                }
            }
            return PacsStorageCli.OK;
        }
    }

    /** A users subcommand about one user, named by username. */
    abstract static class UsernameCommand implements Callable<Integer> {
        @ParentCommand
        UserCommands users;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;
    }

    @Command(name = "list", description = "Lists users.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        UserCommands users;

        @Override
        public Integer call() {
            List<User> all = users.withStorage(Action.READ, (s, actor) -> s.listUsers());
            users.root.print(all.stream().map(UserCommands::json).toList(),
                    String.join("\n", all.stream().map(UserCommands::text).toList()));
            return PacsStorageCli.OK;
        }
    }

    @Command(name = "show", description = "Shows a user with its permissions.")
    static final class Show extends UsernameCommand {

        @Override
        public Integer call() {
            User u = users.withStorage(Action.READ, (s, actor) -> s.getUserByUsername(username));
            List<String> perms = AccessControl.permissionsOf(u).stream().map(Object::toString).sorted().toList();
            Map<String, Object> json = json(u);
            json.put("permissions", perms);
            users.root.print(json, text(u) + "\n  id: " + u.id() + "\n  created: " + u.createdAt()
                    + "\n  permissions: " + (perms.isEmpty() ? "none" : String.join(", ", perms)));
            return PacsStorageCli.OK;
        }
    }

    @Command(name = "set-roles", description = "Replaces a user's roles.")
    static final class SetRoles extends UsernameCommand {

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "ROLE", description = "Roles (none clears them).")
        List<String> roles = new ArrayList<>();

        @Override
        public Integer call() {
            List<Role> parsed = roles(roles);
            User u = users.withStorage(Action.WRITE,
                    (s, actor) -> s.updateUser(actor, s.getUserByUsername(username).withRoles(parsed)));
            users.root.print(json(u), "updated " + text(u));
            return PacsStorageCli.OK;
        }
    }

    @Command(name = "set-password", description = "Sets a user's password (prompted for, or read from stdin).")
    static final class SetPassword extends UsernameCommand {

        @Override
        public Integer call() {
            char[] pw = Passwords.read(username);
            try {
                User u = users.withStorage(Action.WRITE, (s, actor) -> {
                    User target = s.getUserByUsername(username);
                    s.setPassword(actor, target.id(), pw);
                    return target;
                });
                users.root.print(json(u), "password set for " + u.username());
            } finally {
                Arrays.fill(pw, '\0');
            }
            return PacsStorageCli.OK;
        }
    }

    /** disable and enable differ only in the flag they set. */
    abstract static class SetActive extends UsernameCommand {

        abstract boolean active();

        @Override
        public Integer call() {
            User u = users.withStorage(Action.WRITE,
                    (s, actor) -> s.setActive(actor, s.getUserByUsername(username).id(), active()));
            users.root.print(json(u), (active() ? "enabled " : "disabled ") + u.username());
            return PacsStorageCli.OK;
        }
    }

    @Command(name = "disable", description = "Deactivates a user: it keeps its data but is denied everything.")
    static final class Disable extends SetActive {
        @Override
        boolean active() {
            return false;
        }
    }

    @Command(name = "enable", description = "Reactivates a disabled user.")
    static final class Enable extends SetActive {
        @Override
        boolean active() {
            return true;
        }
    }

    @Command(name = "delete", description = "Deletes a user and its roles; the audit log keeps its history.")
    static final class Delete extends UsernameCommand {

        @Override
        public Integer call() {
            User u = users.withStorage(Action.DELETE, (s, actor) -> {
                User target = s.getUserByUsername(username);
                s.deleteUser(actor, target.id());
                return target;
            });
            users.root.print(json(u), "deleted " + u.username());
            return PacsStorageCli.OK;
        }
    }
}
