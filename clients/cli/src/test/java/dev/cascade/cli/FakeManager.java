package dev.cascade.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in stream manager for unit tests of the client: it records every request and answers the ones it was
 * told to, as the contract would; anything else gets the contract's 404 not-found problem. It checks nothing about
 * keys or bodies: the tests assert on the recorded requests instead.
 */
final class FakeManager implements AutoCloseable {

    record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        /** The header's first value, null when absent; the name is case-insensitive. */
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** {@code GET /api/v1/nodes?limit=2}. */
        String target() {
            return method + " " + path + (query == null ? "" : "?" + query);
        }
    }

    record Reply(int status, String contentType, String body, Map<String, String> headers) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();

    private FakeManager(HttpServer server) {
        this.server = server;
    }

    static FakeManager start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeManager fake = new FakeManager(server);
        server.createContext("/", fake::handle);
        server.start();
        return fake;
    }

    /** A port on the loopback address where nothing listens: connecting to it is refused. */
    static int refusingPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Answers {@code target} ({@code METHOD /path} for any query, or {@code METHOD /path?query} for exactly that
     * one) with {@code body}: as application/json below 400, application/problem+json from 400; 204 has no body.
     */
    FakeManager reply(String target, int status, String body) {
        return reply(target, new Reply(status, status >= 400 ? "application/problem+json" : "application/json", body,
                Map.of()));
    }

    FakeManager reply(String target, Reply reply) {
        replies.put(target, reply);
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The single request received; fails if there were none or several. */
    Request onlyRequest() {
        List<Request> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + all.stream().map(Request::target).toList());
        }
        return all.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body);
            requests.add(request);
            Reply reply = replies.get(request.target());
            if (reply == null) {
                reply = replies.get(request.method() + " " + request.path());
            }
            if (reply == null) {
                reply = new Reply(404, "application/problem+json", "{\"type\":\"https://cascade.dev/problems/not-found\","
                        + "\"title\":\"Not found\",\"status\":404,\"detail\":\"no such endpoint\"}", Map.of());
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (reply.status() == 204 || reply.body() == null) {
                exchange.sendResponseHeaders(reply.status(), -1);
                return;
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
