package dev.cascade.node.config;

/**
 * A node's whole configuration. Every value comes from {@code cascade-node.yaml} (the documented
 * defaults) merged with overrides; {@link #validate} names the first bad key.
 */
public record NodeConfig(Node node, Srt srt, Http http, WebRtc webrtc, Upstream upstream, Stream stream) {

    public record Node(NodeRole role, String id, String region) {}

    public record Srt(String bindAddress, int port, int latencyMs, int peerIdleTimeoutMs, int backlog) {}

    public record Http(String bindAddress, int port) {}

    public record WebRtc(int port, String bindAddress, String publicAddress, int consentTimeoutMs) {}

    public record Upstream(String host, int port, int latencyMs, int connectTimeoutMs, int pullTimeoutMs, int lingerMs) {}

    public record Stream(int gopCacheBytes, int publisherGraceMs, int publisherTakeoverIdleMs, int nonTsLimitBytes) {}

    /** SRT port after applying the role default for 0. */
    public int srtPort() {
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
        if (webrtc.port() != 0) {
            return webrtc.port();
        }
        return switch (node.role()) {
            case ORIGIN -> 10000;
            case EDGE -> 10100;
            case RELAY -> -1;
        };
    }

    /** The IP written into ICE candidates. */
    public String candidateAddress() {
        if (!webrtc.publicAddress().isBlank()) {
            return webrtc.publicAddress();
        }
        return "0.0.0.0".equals(webrtc.bindAddress()) ? "127.0.0.1" : webrtc.bindAddress();
    }

    public String nodeId() {
        return node.id().isEmpty() ? node.role().wireName() + "-" + srtPort() : node.id();
    }

    /** Throws {@link ConfigException} naming the first key whose value cannot work. */
    public NodeConfig validate() {
        require(node.role() != null, "node.role", "must be one of origin, relay, edge");
        require(node.region() != null && !node.region().isBlank(), "node.region", "must not be empty");
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
        return this;
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
