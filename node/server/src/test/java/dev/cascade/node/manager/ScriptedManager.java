package dev.cascade.node.manager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in stream manager for tests: an HTTP server on loopback that records every request and
 * answers what the test scripts ({@link Script}), optionally after a delay. Scripts run on the
 * server's threads, several at once.
 */
public final class ScriptedManager implements AutoCloseable {
    public record Request(String method, String path, String query, String authorization, String contentType, String body,
                   long atNanos) {}

    public record Answer(int status, String contentType, String body, long delayMs) {
        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body, 0);
        }

        public static Answer problem(int status, String slug, String detail) {
            return new Answer(status, "application/problem+json", "{\"type\":\"https://cascade.dev/problems/" + slug
                    + "\",\"title\":\"" + slug + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}", 0);
        }

        public static Answer empty(int status) {
            return new Answer(status, null, "", 0);
        }

        public Answer after(long ms) {
            return new Answer(status, contentType, body, ms);
        }
    }

    public interface Script {
        Answer answer(Request request, int nth);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public volatile Script script;

    public ScriptedManager(Script script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A URL where nothing listens: connections are refused. */
    public static String deadUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    public List<Request> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders().getFirst("authorization"), ex.getRequestHeaders().getFirst("content-type"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), System.nanoTime());
            int nth;
            synchronized (requests) {
                requests.add(r);
                nth = (int) requests.stream().filter(x -> x.method().equals(r.method()) && x.path().equals(r.path())).count();
            }
            Answer a = script.answer(r, nth);
            if (a.delayMs() > 0) {
                try {
                    Thread.sleep(a.delayMs());
                } catch (InterruptedException e) {
                    return;
                }
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            if (a.contentType() != null) {
                ex.getResponseHeaders().set("content-type", a.contentType());
            }
            ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
