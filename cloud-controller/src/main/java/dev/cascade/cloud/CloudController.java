package dev.cascade.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.cloud.synth.ModuleSpec;
import dev.cascade.cloud.synth.Platform;
import dev.cascade.cloud.synth.RootSpec;
import dev.cascade.cloud.synth.RootSynthesizer;
import dev.cascade.cloud.terraform.RetryRule;
import dev.cascade.cloud.terraform.RunObserver;
import dev.cascade.cloud.terraform.TerraformProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the nodes of a {@link Deployment} exist, with Terraform: synthesizes the root configuration (Terraform CDK),
 * then runs {@code terraform init} (only when the modules or providers changed), {@code terraform apply
 * -auto-approve -json} and {@code terraform output -json} in the deployment's working directory
 * {@code <workRoot>/<name>/<cloud>/}.
 *
 * <p>Thread-safe. Calls block; one apply, synthesis or destroy runs per working directory at a time (in this JVM and
 * across processes, see {@link WorkDirLock}); different deployments run in parallel. Failed attempts are retried
 * with exponential backoff when another attempt could succeed ({@link RetryRule}).
 */
public final class CloudController {
    private static final Logger LOG = LoggerFactory.getLogger(CloudController.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloudSettings settings;

    public CloudController(CloudSettings s) {
        DeploymentLayout.checkSettings(s);
        this.settings = s;
    }

    public CloudSettings settings() {
        return settings;
    }

    /** The working directory of a deployment: {@code <workRoot>/<name>/<cloud>/} (absolute). */
    public Path workDir(String name, String cloud) {
        DeploymentLayout.checkName(name);
        DeploymentLayout.platform(cloud);
        return new WorkDir(settings.workRoot(), name, cloud).dir();
    }

    /**
     * Makes the deployment's nodes exactly {@code d.nodes()}: creates the missing ones, destroys the ones no
     * longer listed (only those), and returns every node with its address.
     *
     * @throws IllegalArgumentException when the deployment or the settings for its cloud are invalid (nothing was run)
     * @throws ApplyException           when Terraform failed on every attempt, timed out, or the thread was
     *                                  interrupted (then the interrupt flag is set again)
     */
    public ApplyResult apply(Deployment d, Progress p) throws ApplyException {
        long start = System.nanoTime();
        Progress progress = p == null ? Progress.NONE : p;
        DeploymentLayout.layout(d, settings, Path.of("/"), Map.of()); // validate before touching anything
        WorkDir wd = new WorkDir(settings.workRoot(), d.name(), d.cloud());
        Run run = new Run(d.name(), d.cloud(), progress);
        try (Held held = run.lock(wd)) {
            RootSpec spec = run.synthesize(d, wd);
            return retrying(run, (attempt, deadline) -> {
                run.init(wd, spec, deadline);
                run.terraformApply(wd, false, deadline);
                List<NodeInstance> nodes = run.outputs(wd, deadline);
                ApplyResult result = new ApplyResult(d.name(), d.cloud(), nodes,
                        Duration.ofNanos(System.nanoTime() - start), attempt);
                run.event("output", nodes.size() + " node(s): " + nodes.stream().map(NodeInstance::id).toList());
                LOG.info("{}/{}: applied, {} node(s) in {} ms ({} attempt(s))", d.name(), d.cloud(), nodes.size(),
                        result.took().toMillis(), attempt);
                return result;
            });
        }
    }

    /** One attempt of a Terraform run, given its number (1-based) and its deadline ({@link System#nanoTime()}). */
    @FunctionalInterface
    private interface Attempt<T> {
        T run(int attempt, long deadline) throws ApplyException;
    }

    /** Runs {@code body} until it succeeds, or until the retry rule or the attempts say no (see {@link Run#backoffOrThrow}). */
    private <T> T retrying(Run run, Attempt<T> body) throws ApplyException {
        for (int attempt = 1; ; attempt++) {
            try {
                return body.run(attempt, System.nanoTime() + settings.applyTimeout().toNanos());
            } catch (ApplyException e) {
                run.backoffOrThrow(e, attempt);
            }
        }
    }

    /**
     * Writes the deployment's root configuration into its working directory (without running Terraform) and returns
     * that directory.
     */
    public Path synthesize(Deployment d) throws ApplyException {
        DeploymentLayout.layout(d, settings, Path.of("/"), Map.of());
        WorkDir wd = new WorkDir(settings.workRoot(), d.name(), d.cloud());
        Run run = new Run(d.name(), d.cloud(), Progress.NONE);
        try (Held held = run.lock(wd)) {
            run.synthesize(d, wd);
            return wd.dir();
        }
    }

    /**
     * Destroys everything the deployment's state holds ({@code terraform apply -destroy}), with the same retries as
     * {@link #apply}. Nothing to do when the deployment was never applied.
     */
    public void destroy(String name, String cloud, Progress p) throws ApplyException {
        Progress progress = p == null ? Progress.NONE : p;
        Deployment empty = new Deployment(name, cloud, List.of());
        DeploymentLayout.layout(empty, settings, Path.of("/"), Map.of());
        WorkDir wd = new WorkDir(settings.workRoot(), name, cloud);
        Run run = new Run(name, cloud, progress);
        if (!Files.isDirectory(wd.dir())) {
            run.event("destroy", "nothing to destroy: never applied (" + wd.dir() + ")");
            return;
        }
        try (Held held = run.lock(wd)) {
            if (!Files.isRegularFile(wd.state())) {
                run.event("destroy", "nothing to destroy: no state in " + wd.dir());
                return;
            }
            // The groups the state holds, with no nodes: the configuration that made the resources is there to
            // destroy them (destroy-time provisioners, provider aliases).
            RootSpec spec = run.synthesize(empty, wd);
            retrying(run, (attempt, deadline) -> {
                run.init(wd, spec, deadline);
                run.terraformApply(wd, true, deadline);
                run.event("destroy", "destroyed");
                LOG.info("{}/{}: destroyed ({} attempt(s))", name, cloud, attempt);
                return null;
            });
        }
    }

    /** The wait after the given failed attempt (1-based): firstBackoff doubled per attempt, at most maxBackoff. */
    static Duration backoff(CloudSettings s, int failedAttempt) {
        Duration d = s.firstBackoff();
        for (int i = 1; i < failedAttempt && d.compareTo(s.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(s.maxBackoff()) > 0 ? s.maxBackoff() : d;
    }

    /** The environment Terraform runs with: ours, plus no prompts, no update checks, and the join token. */
    Map<String, String> terraformEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        env.put("TF_VAR_join_token", settings.joinToken());
        return env;
    }

    /** One call's context: who it is for, where progress goes. */
    private final class Run {
        final String name;
        final String cloud;
        final Progress progress;

        Run(String name, String cloud, Progress progress) {
            this.name = name;
            this.cloud = cloud;
            this.progress = progress;
        }

        void event(String phase, String message) {
            try {
                progress.event(name, cloud, phase, message);
            } catch (RuntimeException e) {
                LOG.warn("progress listener failed: {}", e.toString());
            }
        }

        ApplyException failure(String phase, int exitCode, String output, boolean timedOut, boolean retryable,
                               Throwable cause) {
            return new ApplyException(name, cloud, phase, exitCode, output, 1, timedOut, retryable, cause);
        }

        Held lock(WorkDir wd) throws ApplyException {
            try {
                WorkDirLock lock = WorkDirLock.acquire(wd.dir(),
                        () -> event("lock", "waiting: another apply holds " + wd.dir()));
                event("lock", "acquired " + wd.dir());
                // "released" is reported just before the release, so it always precedes the next holder's "acquired".
                return () -> {
                    event("lock", "released");
                    lock.close();
                };
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("lock", -1, "interrupted while waiting for " + wd.dir(), false, false, e);
            } catch (IOException e) {
                throw failure("lock", -1, "cannot lock " + wd.dir() + ": " + e, false, false, e);
            }
        }

        RootSpec synthesize(Deployment d, WorkDir wd) throws ApplyException {
            try {
                long t0 = System.nanoTime();
                RootSpec spec = DeploymentLayout.layout(d, settings, wd.dir(), wd.modulesInState());
                String json = RootSynthesizer.synthesize(spec);
                boolean changed = wd.writeConfig(json);
                wd.writeGroups(spec.modules());
                long kept = spec.modules().stream().filter(m -> m.nodeIds().isEmpty()).count();
                event("synth", (changed ? "wrote " : "unchanged ") + wd.config() + ": " + spec.modules().size()
                        + " module(s)" + (kept > 0 ? " (" + kept + " emptied, kept until their nodes are gone)" : "")
                        + ", " + d.nodes().size() + " node(s), " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                return spec;
            } catch (IOException | RuntimeException e) {
                if (e instanceof IllegalArgumentException iae) {
                    throw iae;
                }
                throw failure("synth", -1, String.valueOf(e.getMessage()), false, false, e);
            }
        }

        /** {@code terraform init}, unless the last successful one installed exactly these modules and providers. */
        void init(WorkDir wd, RootSpec spec, long deadline) throws ApplyException {
            String fingerprint = initFingerprint(spec);
            Optional<String> stamp = wd.initStamp();
            if (stamp.isPresent() && stamp.get().equals(fingerprint)) {
                event("init", "up to date (modules and providers unchanged)");
                return;
            }
            event("init", "terraform init");
            RunObserver obs = RunObserver.init(this::event);
            TerraformProcess.Result r = terraform(wd, List.of("init", "-input=false", "-no-color", "-json"), obs,
                    deadline, "init");
            if (!r.ok()) {
                wd.clearInitStamp();
                throw failure("init", r.exitCode(), report(r, obs), r.timedOut(),
                        RetryRule.retryable("init", r.timedOut(), obs.errors()), null);
            }
            try {
                wd.writeInitStamp(fingerprint);
            } catch (IOException e) {
                LOG.warn("could not record the init of {}: {}", wd.dir(), e.toString());
            }
        }

        void terraformApply(WorkDir wd, boolean destroy, long deadline) throws ApplyException {
            String applyPhase = destroy ? "destroy" : "apply";
            RunObserver obs = RunObserver.apply(applyPhase, this::event);
            List<String> args = new ArrayList<>(List.of("apply", "-auto-approve", "-input=false", "-no-color", "-json"));
            if (destroy) {
                args.add(1, "-destroy");
            }
            TerraformProcess.Result r = terraform(wd, args, obs, deadline, obs.phase());
            if (!r.ok()) {
                if (RetryRule.needsInit(obs.errors())) {
                    wd.clearInitStamp();
                }
                String phase = obs.phase();
                throw failure(phase, r.exitCode(), report(r, obs), r.timedOut(),
                        RetryRule.retryable(phase, r.timedOut(), obs.errors()), null);
            }
        }

        List<NodeInstance> outputs(WorkDir wd, long deadline) throws ApplyException {
            StringBuilder out = new StringBuilder();
            RunObserver obs = new RunObserver("output", "output", (ph, m) -> { });
            TerraformProcess.Result r;
            try {
                r = TerraformProcess.run(command(List.of("output", "-json", "-no-color")), wd.dir(), terraformEnv(),
                        remaining(deadline), line -> out.append(line).append('\n'), obs::errorLine);
            } catch (IOException e) {
                throw failure("output", -1, "cannot run " + settings.terraformBinary() + ": " + e.getMessage(), false,
                        false, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("output", -1, "interrupted", false, false, e);
            }
            if (!r.ok()) {
                throw failure("output", r.exitCode(), report(r, obs), r.timedOut(), !r.timedOut(), null);
            }
            try {
                return parseOutputs(JSON.readTree(out.toString()));
            } catch (IOException e) {
                throw failure("output", r.exitCode(), "terraform output -json printed no JSON: " + out, false, true, e);
            }
        }

        private String report(TerraformProcess.Result r, RunObserver obs) {
            if (!r.timedOut()) {
                return obs.errorReport();
            }
            String s = "timed out: applyTimeout " + settings.applyTimeout()
                    + " ran out; terraform and its child processes were stopped";
            String more = obs.errorReport();
            return more.isBlank() ? s : s + "\n\n" + more;
        }

        /** The failure is final, or the wait before the next attempt. */
        void backoffOrThrow(ApplyException e, int attempt) throws ApplyException {
            if (!e.retryable() || attempt >= settings.attempts()) {
                LOG.warn("{}/{}: {} {}{} after {} attempt(s): {}", name, cloud, e.phase(),
                        e.timedOut() ? "timed out" : "failed", e.exitCode() >= 0 ? " (exit " + e.exitCode() + ")" : "", attempt,
                        e.output().lines().findFirst().orElse(""));
                throw e.afterAttempts(attempt);
            }
            Duration wait = backoff(settings, attempt);
            String first = e.output().lines().findFirst().orElse("");
            event("retry", "attempt " + attempt + " of " + settings.attempts() + " failed in " + e.phase()
                    + (e.exitCode() >= 0 ? " (exit " + e.exitCode() + ")" : "") + (first.isEmpty() ? "" : ": " + first)
                    + "; next attempt in " + wait.toMillis() + " ms");
            LOG.info("{}/{}: attempt {} failed in {}: {}; retrying in {} ms", name, cloud, attempt, e.phase(), first,
                    wait.toMillis());
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw e.afterAttempts(attempt);
            }
        }

        private TerraformProcess.Result terraform(WorkDir wd, List<String> args, RunObserver obs, long deadline,
                                                  String phase) throws ApplyException {
            Duration left = remaining(deadline);
            if (left.isZero()) {
                throw failure(phase, -1, "no time left of applyTimeout " + settings.applyTimeout(), true, false, null);
            }
            try {
                return TerraformProcess.run(command(args), wd.dir(), terraformEnv(), left, obs::line, obs::errorLine);
            } catch (IOException e) {
                throw failure(phase, -1, "cannot run " + settings.terraformBinary() + ": " + e.getMessage(), false,
                        false, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(obs.phase(), -1, "interrupted: terraform was stopped\n" + obs.errorReport(), false,
                        false, e);
            }
        }

        private List<String> command(List<String> args) {
            List<String> c = new ArrayList<>();
            c.add(settings.terraformBinary());
            c.addAll(args);
            return c;
        }
    }

    /** The working directory, held until closed. */
    private interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** Every node in the {@code nodes_*} outputs, sorted by id. */
    static List<NodeInstance> parseOutputs(JsonNode outputs) {
        List<NodeInstance> nodes = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = outputs.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> o = it.next();
            if (!o.getKey().startsWith("nodes_")) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> ns = o.getValue().path("value").fields();
            while (ns.hasNext()) {
                Map.Entry<String, JsonNode> n = ns.next();
                JsonNode v = n.getValue();
                nodes.add(new NodeInstance(v.path("id").asText(n.getKey()), v.path("role").asText(null),
                        v.path("region").asText(null), v.hasNonNull("address") ? v.path("address").asText() : null));
            }
        }
        nodes.sort(Comparator.comparing(NodeInstance::id));
        return List.copyOf(nodes);
    }

    /**
     * What {@code terraform init} installs for this configuration: the module blocks and their sources, the
     * provider, and the content of the module folders (a module that starts needing a new provider needs an init).
     */
    String initFingerprint(RootSpec spec) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(settings.terraformBinary().getBytes(StandardCharsets.UTF_8));
            Platform p = spec.platform();
            md.update(("\nprovider " + p.provider().orElse("-") + " " + p.providerSource()).getBytes(StandardCharsets.UTF_8));
            for (ModuleSpec m : spec.modules()) {
                md.update(("\nmodule " + m.moduleName() + " " + spec.moduleSource()).getBytes(StandardCharsets.UTF_8));
            }
            if (!spec.modules().isEmpty()) {
                try (Stream<Path> files = Files.walk(spec.moduleSource())) {
                    for (Path f : files.filter(Files::isRegularFile)
                            .filter(f -> !f.toString().contains("/.terraform/"))
                            .filter(f -> f.toString().endsWith(".tf") || f.toString().endsWith(".tf.json"))
                            .sorted().toList()) {
                        md.update(("\nfile " + spec.moduleSource().relativize(f) + "\n").getBytes(StandardCharsets.UTF_8));
                        md.update(Files.readAllBytes(f));
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            return "unknown-" + System.nanoTime(); // forces an init
        }
    }
}
