package dev.cascade.manager.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for the stream manager's API in tests. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;

    public Http(String base) {
        this.base = base;
    }

    /** A response with its body parsed when it is JSON. */
    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The problem type's slug (after https://cascade.dev/problems/). */
        public String problemType() {
            String type = json().path("type").asText();
            return type.substring(type.lastIndexOf('/') + 1);
        }

        public String contentType() {
            return raw.headers().firstValue("content-type").orElse("");
        }
    }

    public Response get(String path, String bearer) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), bearer);
    }

    public Response delete(String path, String bearer) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), bearer);
    }

    public Response post(String path, String bearer, String json) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), bearer);
    }

    public Response put(String path, String bearer, String json) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), bearer);
    }

    public Response send(HttpRequest.Builder b, String bearer) throws IOException {
        if (bearer != null) {
            b.header("authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(base + (path.startsWith("/api/") || path.startsWith("/healthz") || path.startsWith("/metrics")
                || path.equals("/") || path.startsWith("/dashboard") ? path : "/api/v1" + path));
    }

    // ---------------------------------------------------------------- node calls, as a node makes them

    public Response register(String id, String role, String region, int srtPort, int httpPort) throws IOException {
        return post("/nodes/register", ManagerProcess.JOIN_TOKEN, String.format(
                "{\"id\":\"%s\",\"role\":\"%s\",\"region\":\"%s\",\"host\":\"127.0.0.1\",\"srtPort\":%d,\"httpPort\":%d}",
                id, role, region, srtPort, httpPort));
    }

    public Response heartbeat(String id, int subscribers, String streamsJson) throws IOException {
        return put("/nodes/" + id + "/heartbeat", ManagerProcess.JOIN_TOKEN, String.format(
                "{\"ready\":true,\"load\":{\"cpu\":0.1,\"mbpsIn\":1,\"mbpsOut\":1,\"publishers\":0,\"subscribers\":%d,"
                        + "\"streams\":0},\"streams\":%s}", subscribers, streamsJson));
    }
}
