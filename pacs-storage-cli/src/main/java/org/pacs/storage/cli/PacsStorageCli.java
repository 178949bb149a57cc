package org.pacs.storage.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pacs.storage.StorageException;
import org.pacs.storage.cli.config.CliConfig;
import org.pacs.storage.cli.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code pacs-storage} command. Exit codes: 0 done, 1 an operation failed, 2 usage or configuration error.
 * Errors are one line on stderr; the stack trace only with {@code --verbose}.
 */
@Command(name = "pacs-storage", mixinStandardHelpOptions = true, version = "pacs-storage 0.1.0",
        description = "Stores DICOM instances across local disks, S3 and Azure Blob, in hot, warm and cold tiers.",
        subcommands = {
            DemoCommand.class, GenerateCommand.class, StoreCommand.class, InstanceCommands.Retrieve.class,
            InstanceCommands.Find.class, InstanceCommands.Remove.class, InstanceCommands.Exists.class,
            ArchiveCommands.Stats.class, ArchiveCommands.Verify.class, ArchiveCommands.RebuildIndex.class,
            TierCommands.Tier.class, TierCommands.Migrate.class, TierCommands.Release.class, TierCommands.Restore.class,
            TierCommands.RestoreStatus.class, ServeCommand.class, UserCommands.class, ConfigCommand.class, AuditCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:an operation failed", "2:usage or configuration error"})
public final class PacsStorageCli implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    private Path configFile;
    private boolean json;
    private boolean verbose;
    private CliConfig config;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "YAML configuration (default: $PACS_STORAGE_CONFIG, else ./pacs-storage.yaml, else the"
                    + " embedded default: tiers under ./pacs-archive).")
    void setConfigFile(Path file) {
        this.configFile = file;
    }

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print results as one JSON document.")
    void setJson(boolean json) {
        this.json = json;
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces and debug logging.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        configureLogging(args);
        // after the logging setup (the driver's loader creates its logger) and before anything opens a database
        SqliteNativeLibrary.useCopyBesideJar();
        PacsStorageCli root = new PacsStorageCli();
        CommandLine cl = new CommandLine(root);
        PrintWriter out = new PrintWriter(new PrintStream(System.out, true, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new PrintStream(System.err, true, StandardCharsets.UTF_8), true);
        cl.setOut(out).setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            err.println("pacs-storage: " + ex.getMessage() + "; see '" + c.getCommandSpec().qualifiedName()
                    + " --help'.");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean usage = ex instanceof UsageException;
            String message = ex instanceof StorageException ? ex.getMessage()
                    : "unexpected " + ex + "; rerun with --verbose and report the stack trace.";
            err.println("pacs-storage: " + oneLine(message));
            if (root.verbose) {
                ex.printStackTrace(err);
            }
            return usage ? USAGE : FAILED;
        });
        return cl.execute(args);
    }

    /** Library loggers stay quiet unless asked: one line per error is the contract, not a page of warnings. */
    private static void configureLogging(String[] args) {
        boolean verbose = false;
        for (String a : args) {
            verbose |= a.equals("-v") || a.equals("--verbose");
        }
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        // SDKs (Azure, AWS, Netty) log every refused connection at ERROR before our one-line message says the
        // same thing with what to do; their logs are for --verbose.
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
        setIfAbsent("org.slf4j.simpleLogger.log.org.pacs.storage", verbose ? "debug" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static String oneLine(String s) {
        return s == null ? "(no message)" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return USAGE;
    }

    public boolean json() {
        return json;
    }

    public boolean verbose() {
        return verbose;
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Loaded on first use, so commands that need none (generate, --help) work with a broken configuration. */
    public CliConfig config() {
        if (config == null) {
            config = ConfigLoader.fromEnvironment().load(configFile);
        }
        return config;
    }

    public Archive openArchive() {
        return Archive.open(config());
    }

    /** Prints {@code value} as JSON with --json, else the text. */
    public void print(Object value, String text) {
        if (json) {
            out().println(Json.write(value));
        } else if (!text.isEmpty()) {
            out().println(text);
        }
        out().flush();
    }
}
