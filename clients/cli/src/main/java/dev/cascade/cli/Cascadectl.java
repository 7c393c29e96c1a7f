package dev.cascade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code cascadectl}, the admin CLI: the root command, its global options (inherited by every subcommand, so
 * {@code cascadectl nodes list -o json} works as well as {@code cascadectl -o json nodes list}) and the exit
 * status: 0 done, 1 the manager answered with an error, 2 usage error, 3 no manager reachable.
 */
@Command(name = "cascadectl", mixinStandardHelpOptions = true, versionProvider = Cascadectl.Version.class,
        description = {"The Cascade admin CLI: where to publish and watch a stream, and the stream manager's "
                + "nodes, streams, node groups, API keys, scheduled events, and the autoscaler's decisions and "
                + "deployments.", ""},
        subcommands = {PublishCommand.class, WatchCommand.class, NodesCommand.class, StreamsCommand.class,
                GroupsCommand.class, KeysCommand.class, ClusterCommand.class, EventsCommand.class,
                DecisionsCommand.class, DeploymentsCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done",
                "1:the manager answered with an error, printed on stderr as",
                " :  cascadectl: TITLE (STATUS SLUG): DETAIL",
                "  :or with an answer cascadectl cannot use",
                "2:usage error: unknown command or option, bad argument, bad -f file",
                "3:no stream manager could be reached (every URL tried is named)"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  CASCADE_MANAGER       manager URL(s), comma-separated, if no --manager",
                "  CASCADE_ADMIN_KEY     the API key, if no --key",
                "  ~/.cascade/admin-key  the API key, if neither --key nor CASCADE_ADMIN_KEY",
                "",
                "Examples:",
                "  cascadectl publish live/match1",
                "  ffmpeg -re -i in.mp4 -c copy -f mpegts \"$(cascadectl publish live/m1 --srt)\"",
                "  cascadectl watch live/match1 --player --region eu-west",
                "  cascadectl nodes list --role edge --state INSERVICE",
                "  cascadectl --manager http://sm1:8080,http://sm2:8080 streams list --all",
                "  cascadectl events list --group eu",
                "  cascadectl decisions --group eu",
                "  cascadectl nodes list --help"})
public final class Cascadectl extends CommandGroup {
    static final String MANAGER_VARIABLE = "CASCADE_MANAGER";
    static final String KEY_VARIABLE = "CASCADE_ADMIN_KEY";
    static final String DEFAULT_MANAGER = "http://127.0.0.1:8080";
    static final String KEY_FILE_DISPLAY = "~/.cascade/admin-key";

    private final CliEnvironment environment;
    private ManagerClient manager;
    private Output output;

    @Option(names = "--manager", scope = ScopeType.INHERIT, paramLabel = "URL[,URL...]",
            description = {"Stream manager base URL(s), comma-separated; when one cannot be connected to, the next "
                    + "is tried.", "Default: $" + MANAGER_VARIABLE + ",", "else " + DEFAULT_MANAGER + "."})
    String managerOption;

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = {"API key, sent as Authorization: Bearer KEY ('' sends none).",
                    "Default: $" + KEY_VARIABLE + ",", "else the file " + KEY_FILE_DISPLAY + "."})
    String keyOption;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormat.Converter.class, completionCandidates = OutputFormat.Candidates.class,
            description = "table (columns for lists, key: value for one object) or json (the manager's answer, "
                    + "pretty-printed). Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    Cascadectl(CliEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(CliEnvironment.system(), args));
    }

    /** Runs one command line and returns its exit status; everything is printed to the environment's streams. */
    public static int run(CliEnvironment environment, String... args) {
        CommandLine commandLine = new CommandLine(new Cascadectl(environment));
        commandLine.setOut(environment.out());
        commandLine.setErr(environment.err());
        abbreviateSynopses(commandLine);
        commandLine.setParameterExceptionHandler(Cascadectl::usageError);
        commandLine.setExecutionExceptionHandler(Cascadectl::failure);
        int status = commandLine.execute(args);
        environment.out().flush();
        environment.err().flush();
        return status;
    }

    CliEnvironment environment() {
        return environment;
    }

    Output output() {
        if (output == null) {
            output = new Output(environment.out(), environment.err(), format);
        }
        return output;
    }

    /** The client, made on first use from --manager / $CASCADE_MANAGER / the default and the resolved key. */
    ManagerClient manager(CommandLine command) {
        if (manager == null) {
            String source;
            String urls;
            Optional<String> fromEnvironment = environment.variable(MANAGER_VARIABLE);
            if (managerOption != null) {
                source = "--manager";
                urls = managerOption;
            } else if (fromEnvironment.isPresent()) {
                source = MANAGER_VARIABLE;
                urls = fromEnvironment.get();
            } else {
                source = "the default";
                urls = DEFAULT_MANAGER;
            }
            List<URI> managers;
            try {
                managers = managerUrls(urls);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command, source + ": " + e.getMessage());
            }
            boolean isDefault = managerOption == null && fromEnvironment.isEmpty();
            manager = new ManagerClient(managers, key(command), isDefault, "cascadectl/" + version());
        }
        return manager;
    }

    /**
     * Base URLs from {@code URL[,URL...]}: {@code http://} is assumed without a scheme; a trailing slash and a
     * trailing {@code /api/v1} are dropped, so a URL copied from the API works too. A path prefix (a reverse
     * proxy's) is kept.
     */
    static List<URI> managerUrls(String value) {
        List<URI> urls = new ArrayList<>();
        for (String part : value.split(",")) {
            String text = part.trim();
            if (text.isEmpty()) {
                continue;
            }
            String withScheme = text.contains("://") ? text : "http://" + text;
            URI uri;
            try {
                uri = new URI(withScheme);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + text + "' is not a URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("'" + text + "' is not an http:// or https:// URL");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("'" + text + "' has no host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("'" + text + "' has a query or fragment; give the base URL");
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            path = stripTrailingSlashes(path);
            if (path.endsWith(ManagerClient.API_PREFIX)) {
                path = stripTrailingSlashes(path.substring(0, path.length() - ManagerClient.API_PREFIX.length()));
            }
            urls.add(URI.create(scheme + "://" + uri.getRawAuthority() + path));
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no URL given");
        }
        return urls;
    }

    private static String stripTrailingSlashes(String path) {
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * --key (an empty one means none), else $CASCADE_ADMIN_KEY, else admin-key in $CASCADE_STATE_DIR or ~/.cascade
     * (where ./cascade up keeps it), else none (null). A key
     * with spaces or control characters inside cannot go in a header: a usage error naming where it came from.
     */
    private String key(CommandLine command) {
        String source;
        String key;
        Optional<String> fromEnvironment = environment.variable(KEY_VARIABLE);
        // ./cascade up keeps its state in $CASCADE_STATE_DIR when set, else ~/.cascade
        Path file = environment.variable("CASCADE_STATE_DIR").filter(d -> !d.isBlank()).map(Path::of)
                .orElse(environment.home().resolve(".cascade")).resolve("admin-key");
        if (keyOption != null) {
            source = "--key";
            key = keyOption.trim();
        } else if (fromEnvironment.isPresent()) {
            source = KEY_VARIABLE;
            key = fromEnvironment.get();
        } else if (Files.isRegularFile(file)) {
            source = file.toString();
            try {
                key = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                environment.err().println("cascadectl: cannot read " + file + " (" + e.getMessage()
                        + "); sending no API key");
                return null;
            }
        } else {
            return null;
        }
        if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ParameterException(command, "the API key from " + source + " has spaces or characters "
                    + "other than printable ASCII in it");
        }
        return key.isEmpty() ? null : key;
    }

    /** Usage errors: the message, suggestions for a mistyped word, the synopsis, and where to read more; exit 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String message = e.getMessage() == null ? "bad command line" : e.getMessage();
        err.println("cascadectl: " + (message.startsWith("Error: ") ? message.substring("Error: ".length()) : message));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.print(command.getHelp().fullSynopsis());
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failure(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (e instanceof CliFailure failure) {
            failure.lines().forEach(line -> err.println("cascadectl: " + line));
            err.flush();
            return failure.exitCode();
        }
        err.println("cascadectl: internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    private static void abbreviateSynopses(CommandLine command) {
        command.getCommandSpec().usageMessage().abbreviateSynopsis(true);
        command.getSubcommands().values().forEach(Cascadectl::abbreviateSynopses);
    }

    /** The build's version, from the Maven-filtered {@code version.properties}. */
    static String version() {
        try (InputStream in = Cascadectl.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cascadectl " + version(), "Java " + Runtime.version()};
        }
    }
}
