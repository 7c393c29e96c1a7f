package dev.cascade.node.config;

import dev.cascade.config.ConfigException;
import dev.cascade.config.ConfigLoader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A node's whole configuration. Every value comes from {@code cascade-node.yaml} (the documented
 * defaults) merged with overrides; {@link #validate} names the first bad key.
 */
public record NodeConfig(Node node, Srt srt, Http http, WebRtc webrtc, Upstream upstream, Stream stream,
                         Manager manager, Abr abr, Transcoder transcoder) {

    public record Node(NodeRole role, String id, String region, String cloud, String group, String publicHost,
                       Capacity capacity) {}

    /** What the node may carry (the stream manager's {@code Capacity}); 0 means unlimited. */
    public record Capacity(int maxSubscribers, int maxPublishers, int maxMbpsOut) {}

    public record Srt(String bindAddress, int port, int latencyMs, int peerIdleTimeoutMs, int backlog) {}

    public record Http(String bindAddress, int port) {}

    public record WebRtc(int port, String bindAddress, String publicAddress, int consentTimeoutMs) {}

    public record Upstream(String host, int port, int latencyMs, int connectTimeoutMs, int pullTimeoutMs, int lingerMs) {}

    public record Stream(int gopCacheBytes, int publisherGraceMs, int publisherTakeoverIdleMs, int nonTsLimitBytes) {}

    /** The stream managers this node registers with; {@code urls} empty means standalone. */
    public record Manager(String urls, String joinToken, int requestTimeoutMs, int retryMs) {}

    /**
     * Edge ABR (docs/abr.md): whether WHEP viewers of a stream with a ladder get a variant per viewer,
     * how long the stream manager's answer about a stream's ladder is kept, how soon a variant that
     * could not be pulled is tried again, and the up-probe that lets the browser's estimate grow.
     */
    public record Abr(boolean enabled, int lookupCacheMs, int retryMs, boolean probe, int probeMinIntervalMs,
                      int probeMaxIntervalMs) {}

    /** A transcoder's ladders: keyframe grid, Opus bitrate of every level, and how many streams it runs at once. */
    public record Transcoder(int gopMs, int audioKbps, int maxJobs) {}

    /** Ids and names as the stream manager's API accepts them (openapi.yaml: NodeId, NodeRegistration). */
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern CLOUD = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** RFC 6750 section 2.1 b64token: what may follow "Bearer " without breaking the header. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:-]{1,253}");
    /** More URLs than this is a mistake, not a cluster: each failover round tries every one. */
    static final int MAX_MANAGER_URLS = 16;

    /** The loader for node configuration: {@code cascade-node.yaml}, then {@code CASCADE_*} variables. */
    public static ConfigLoader<NodeConfig> loader() {
        return new ConfigLoader<>(NodeConfig.class, "/cascade-node.yaml", "CASCADE_", NodeConfig::validate);
    }

    /** SRT port after applying the role default for 0; 0 for a transcoder, which listens on none. */
    public int srtPort() {
        if (node.role() == NodeRole.TRANSCODER) {
            return 0;
        }
        return srt.port() == 0 ? node.role().defaultSrtPort() : srt.port();
    }

    public int httpPort() {
        return http.port() == 0 ? node.role().defaultHttpPort() : http.port();
    }

    /** Upstream SRT port after applying the role default for 0; -1 for an origin. */
    public int upstreamPort() {
        NodeRole up = node.role().upstream();
        if (up == null) {
            return -1;
        }
        return upstream.port() == 0 ? up.defaultSrtPort() : upstream.port();
    }

    /** WebRTC UDP port after applying the role default for 0; -1 when the role serves no WebRTC. */
    public int webrtcPort() {
        if (node.role() == NodeRole.TRANSCODER) {
            return -1;
        }
        if (webrtc.port() != 0) {
            return webrtc.port();
        }
        return switch (node.role()) {
            case ORIGIN -> 10000;
            case EDGE -> 10100;
            case RELAY, TRANSCODER -> -1;
        };
    }

    /** The IP written into ICE candidates. */
    public String candidateAddress() {
        if (!webrtc.publicAddress().isBlank()) {
            return webrtc.publicAddress();
        }
        return "0.0.0.0".equals(webrtc.bindAddress()) ? "127.0.0.1" : webrtc.bindAddress();
    }

    /** {@code node.id}, else {@code <role>-<srt port>} ({@code transcoder-<http port>}: it has no SRT port). */
    public String nodeId() {
        if (!node.id().isEmpty()) {
            return node.id();
        }
        return node.role().wireName() + "-" + (node.role() == NodeRole.TRANSCODER ? httpPort() : srtPort());
    }

    /** Whether the node works with a stream manager (registers, heartbeats, pulls along routes). */
    public boolean managed() {
        return !manager.urls().isBlank();
    }

    /**
     * The stream managers' base URLs, in the configured order, without a trailing slash; empty when
     * standalone. Validation has checked them, so this cannot fail on a validated config.
     */
    public List<String> managerUrls() {
        List<String> out = new ArrayList<>();
        for (String part : manager.urls().split(",")) {
            String url = part.trim();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            if (!url.isEmpty()) {
                out.add(url);
            }
        }
        return out;
    }

    /** The same configuration with the join token masked, for {@code --print-config}. */
    public NodeConfig redacted() {
        if (manager.joinToken().isEmpty()) {
            return this;
        }
        return new NodeConfig(node, srt, http, webrtc, upstream, stream,
                new Manager(manager.urls(), "(set, not shown)", manager.requestTimeoutMs(), manager.retryMs()), abr,
                transcoder);
    }

    /** Throws {@link ConfigException} naming the first key whose value cannot work. */
    public NodeConfig validate() {
        require(node.role() != null, "node.role", "must be one of origin, relay, edge, transcoder");
        require(node.region() != null && !node.region().isBlank(), "node.region", "must not be empty");
        require(node.capacity() != null, "node.capacity", "must be a mapping");
        require(node.cloud() != null && CLOUD.matcher(node.cloud()).matches(), "node.cloud",
                "must match [a-z0-9-]{1,64} (got '" + node.cloud() + "')");
        require(node.group() != null && (node.group().isEmpty() || GROUP.matcher(node.group()).matches()), "node.group",
                "must be empty or match [a-z0-9][a-z0-9-]{0,62} (got '" + node.group() + "')");
        require(node.publicHost() != null && HOST.matcher(node.publicHost()).matches() && !"0.0.0.0".equals(node.publicHost())
                        && !"::".equals(node.publicHost()), "node.publicHost",
                "must be a host name or IP address that clients and other nodes can reach (got '" + node.publicHost() + "')");
        range("node.capacity.maxSubscribers", node.capacity().maxSubscribers(), 0, 10_000_000);
        range("node.capacity.maxPublishers", node.capacity().maxPublishers(), 0, 10_000_000);
        range("node.capacity.maxMbpsOut", node.capacity().maxMbpsOut(), 0, 10_000_000);
        require(!srt.bindAddress().isBlank(), "srt.bindAddress", "must not be empty");
        port("srt.port", srt.port());
        range("srt.latencyMs", srt.latencyMs(), 0, 60_000);
        range("srt.peerIdleTimeoutMs", srt.peerIdleTimeoutMs(), 1_000, 600_000);
        range("srt.backlog", srt.backlog(), 1, 65_535);
        require(!http.bindAddress().isBlank(), "http.bindAddress", "must not be empty");
        port("http.port", http.port());
        port("webrtc.port", webrtc.port());
        require(!webrtc.bindAddress().isBlank(), "webrtc.bindAddress", "must not be empty");
        require(webrtc.publicAddress().isBlank() || webrtc.publicAddress().matches("[0-9.]+"),
                "webrtc.publicAddress", "must be an IPv4 address (or empty)");
        range("webrtc.consentTimeoutMs", webrtc.consentTimeoutMs(), 1_000, 300_000);
        require(!upstream.host().isBlank(), "upstream.host", "must not be empty");
        port("upstream.port", upstream.port());
        range("upstream.latencyMs", upstream.latencyMs(), 0, 60_000);
        range("upstream.connectTimeoutMs", upstream.connectTimeoutMs(), 100, 60_000);
        range("upstream.pullTimeoutMs", upstream.pullTimeoutMs(), 100, 600_000);
        range("upstream.lingerMs", upstream.lingerMs(), 0, 600_000);
        range("stream.gopCacheBytes", stream.gopCacheBytes(), 188 * 64, 256 * 1024 * 1024);
        range("stream.publisherGraceMs", stream.publisherGraceMs(), 0, 600_000);
        range("stream.publisherTakeoverIdleMs", stream.publisherTakeoverIdleMs(), 100, 600_000);
        range("stream.nonTsLimitBytes", stream.nonTsLimitBytes(), 376, 64 * 1024 * 1024);
        if (srtPort() == httpPort()) {
            throw new ConfigException("http.port", "must differ from srt.port (" + srtPort() + ")");
        }
        require(manager.urls() != null, "manager.urls", "must be a text (empty: standalone)");
        require(manager.joinToken() != null, "manager.joinToken", "must be a text");
        range("manager.requestTimeoutMs", manager.requestTimeoutMs(), 100, 60_000);
        range("manager.retryMs", manager.retryMs(), 100, 600_000);
        require(abr != null, "abr", "must be a mapping");
        range("abr.lookupCacheMs", abr.lookupCacheMs(), 0, 600_000);
        range("abr.retryMs", abr.retryMs(), 100, 600_000);
        range("abr.probeMinIntervalMs", abr.probeMinIntervalMs(), 500, 600_000);
        range("abr.probeMaxIntervalMs", abr.probeMaxIntervalMs(), abr.probeMinIntervalMs(), 3_600_000);
        require(transcoder != null, "transcoder", "must be a mapping");
        range("transcoder.gopMs", transcoder.gopMs(), 200, 10_000);
        range("transcoder.audioKbps", transcoder.audioKbps(), 16, 256);
        range("transcoder.maxJobs", transcoder.maxJobs(), 1, 64);
        if (managed()) {
            validateManaged();
        } else if (node.role() == NodeRole.TRANSCODER) {
            throw new ConfigException("manager.urls", "a transcoder takes its jobs from the stream manager: set the"
                    + " managers' URLs (and manager.joinToken)");
        }
        return this;
    }

    /** What registering with the stream manager needs on top of a standalone node's settings. */
    private void validateManaged() {
        List<String> urls = managerUrls();
        require(!urls.isEmpty(), "manager.urls", "lists no URL (got '" + manager.urls() + "')");
        require(urls.size() <= MAX_MANAGER_URLS, "manager.urls", "at most " + MAX_MANAGER_URLS + " URLs (got " + urls.size() + ")");
        for (String url : urls) {
            require(validBaseUrl(url), "manager.urls", "'" + url + "' is not a base URL like http://10.0.0.5:8080 "
                    + "(http or https, a host, no query; without /api/v1, which the node adds)");
        }
        require(!manager.joinToken().isEmpty(), "manager.joinToken", "must be set when manager.urls is (the managers' security.joinToken)");
        require(BEARER_TOKEN.matcher(manager.joinToken()).matches(), "manager.joinToken",
                "may only hold letters, digits and -._~+/ (then '=' padding), as a bearer token (RFC 6750)");
        require(NODE_ID.matcher(nodeId()).matches(), "node.id",
                "must match [A-Za-z0-9_.-]{1,64} to register with the stream manager (got '" + nodeId() + "')");
        require(REGION.matcher(node.region()).matches(), "node.region",
                "must match [a-z0-9-]{1,64} to register with the stream manager (got '" + node.region() + "')");
    }

    private static boolean validBaseUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme();
            return ("http".equals(scheme) || "https".equals(scheme)) && u.getHost() != null && u.getRawQuery() == null
                    && u.getRawFragment() == null && u.getRawUserInfo() == null
                    && !(u.getRawPath() != null && u.getRawPath().endsWith("/api/v1"));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key, message);
        }
    }

    private static void port(String key, int value) {
        range(key, value, 0, 65_535);
    }

    private static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + " (got " + value + ")");
        }
    }
}
