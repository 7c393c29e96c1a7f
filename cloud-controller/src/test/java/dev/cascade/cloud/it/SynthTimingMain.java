package dev.cascade.cloud.it;

import dev.cascade.cloud.CloudController;
import dev.cascade.cloud.CloudSettings;
import dev.cascade.cloud.Deployment;
import dev.cascade.cloud.NodeSpec;
import dev.cascade.cloud.PlatformSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Run in a fresh JVM by TimingIT: synthesizes one deployment several times and prints each time in ms, the first
 * one including jsii's start of Node and the loading of the cdktf library.
 * Arguments: the modules folder, the number of syntheses, a work root.
 */
public final class SynthTimingMain {
    private SynthTimingMain() {
    }

    public static void main(String[] args) throws Exception {
        Path modules = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        CloudController c = new CloudController(CloudSettings.of(work, modules, Map.of("local", PlatformSettings.of("node"))));
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<NodeSpec> nodes = new ArrayList<>();
            for (int k = 0; k <= i % 4; k++) {
                nodes.add(new NodeSpec("edge-" + k, "edge", "local", null));
            }
            nodes.add(new NodeSpec("origin-1", "origin", "local", null));
            long t0 = System.nanoTime();
            c.synthesize(new Deployment("timing", "local", nodes));
            times.add((System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println("synth-ms " + times);
    }
}
