package dev.cascade.cloud;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The fixed deployment and settings the synthesis tests use. */
final class Fixtures {
    static final Path STUB_MODULES = Path.of("src/test/resources/stub-modules").toAbsolutePath();
    static final String TOKEN = "join-secret-7f3a";
    static final List<String> CLOUDS = List.of("local", "aws", "gcp", "azure", "digitalocean", "linode", "openstack");

    private Fixtures() {
    }

    /** Two regions, two roles, one size per (role, region). */
    static Deployment deployment(String cloud) {
        return new Deployment("events", cloud, List.of(
                new NodeSpec("edge-2", "edge", "us-east-1", "small"),
                new NodeSpec("origin-1", "origin", "us-east-1", "large"),
                new NodeSpec("edge-1", "edge", "us-east-1", "small"),
                new NodeSpec("edge-3", "edge", "eu-west-1", "small")));
    }

    static Map<String, PlatformSettings> platforms() {
        return Map.of(
                "local", new PlatformSettings("java -cp '/opt/cascade/lib/*' dev.cascade.node.Main", Map.of(),
                        Map.of("stop_timeout", "5"), Map.of("CASCADE_SRT_LATENCY_MS", "200")),
                "aws", new PlatformSettings("ami-0abcdef1234567890", Map.of("profile", "cascade"),
                        Map.of("key_name", "ops"), Map.of()),
                "gcp", new PlatformSettings("debian-cloud/debian-12", Map.of("project", "cascade-prod"), Map.of(),
                        Map.of()),
                "azure", new PlatformSettings("Debian:debian-12:12-gen2:latest",
                        Map.of("subscription_id", "00000000-0000-0000-0000-000000000000"), Map.of(), Map.of()),
                "digitalocean", new PlatformSettings("debian-12-x64", Map.of(), Map.of(), Map.of()),
                "linode", new PlatformSettings("linode/debian12", Map.of(), Map.of(), Map.of()),
                "openstack", new PlatformSettings("Debian 12",
                        Map.of("auth_url", "https://keystone.example.net:5000/v3", "region", "RegionOne"),
                        Map.of(), Map.of()));
    }

    static CloudSettings settings(Path workRoot) {
        return new CloudSettings(workRoot, STUB_MODULES, "terraform", List.of("https://manager.example.net:8080"),
                TOKEN, platforms(), 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMinutes(5));
    }
}
