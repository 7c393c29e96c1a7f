package dev.cascade.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The stream manager's REST API as cascadectl uses it: JSON in and out, the bearer key, and failover across the
 * managers given. A manager that cannot be connected to (refused, no route, unknown host, no connection within
 * 2 s) is skipped for the next one; so is one that connected but did not answer within 10 s, except for a POST,
 * which may have taken effect and is not sent twice. An HTTP answer, even 503, is final: it is not failed over.
 */
final class ManagerClient {
    static final String API_PREFIX = "/api/v1";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** A successful (2xx) answer; {@code body} is null when there was none (204). */
    record Answer(int status, JsonNode body) {}

    private final List<URI> managers;
    private final String key;
    private final boolean defaultManager;
    private final String userAgent;
    private final Duration requestTimeout;
    private final HttpClient http;
    private int preferred;

    /**
     * @param managers base URLs, e.g. {@code http://10.0.0.5:8080}, without {@code /api/v1} or a trailing slash
     * @param key the API key, or null to send none
     * @param defaultManager whether {@code managers} is the built-in default (the unreachable message says so)
     */
    ManagerClient(List<URI> managers, String key, boolean defaultManager, String userAgent) {
        this(managers, key, defaultManager, userAgent, REQUEST_TIMEOUT);
    }

    ManagerClient(List<URI> managers, String key, boolean defaultManager, String userAgent, Duration requestTimeout) {
        if (managers.isEmpty()) {
            throw new IllegalArgumentException("no stream manager URL");
        }
        this.managers = List.copyOf(managers);
        this.key = key;
        this.defaultManager = defaultManager;
        this.userAgent = userAgent;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Answer get(String path, Query query) {
        return call("GET", path, query, null, true);
    }

    /**
     * Sends one request to the first manager that takes it, starting with the one that last answered.
     *
     * @param path the path under {@code /api/v1}, already encoded, e.g. {@code /nodes/edge-1}
     * @param body the JSON body, or null for none
     * @param authenticated whether to send the API key (placement calls take none)
     */
    Answer call(String method, String path, Query query, JsonNode body, boolean authenticated) {
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < managers.size(); i++) {
            int index = (preferred + i) % managers.size();
            URI uri = URI.create(managers.get(index) + API_PREFIX + path + query.suffix());
            HttpResponse<String> response;
            try {
                response = http.send(request(method, uri, body, authenticated),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw UnreachableException.interrupted(uri);
            } catch (IOException e) {
                boolean delivered = !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException);
                if (delivered && method.equals("POST")) {
                    throw UnreachableException.noAnswer(uri, reason(e));
                }
                attempts.add(managers.get(index) + " (" + reason(e) + ")");
                continue;
            }
            preferred = index;
            return answer(uri, response, authenticated && key != null);
        }
        throw UnreachableException.allFailed(attempts, defaultManager);
    }

    private HttpRequest request(String method, URI uri, JsonNode body, boolean authenticated) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent);
        if (authenticated && key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(Json.compact(body), StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private static Answer answer(URI uri, HttpResponse<String> response, boolean sentKey) {
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        JsonNode json = text.isBlank() ? null : parseOrNull(text);
        if (status >= 200 && status < 300) {
            if (!text.isBlank() && json == null) {
                throw new BadAnswerException(uri + " answered " + status + " with a body that is not JSON");
            }
            return new Answer(status, json);
        }
        if (status >= 400) {
            Problem problem = Problem.from(status, json).orElse(null);
            if (problem != null) {
                throw new ProblemException(problem, retryAfter(response), sentKey);
            }
        }
        StringBuilder line = new StringBuilder("HTTP " + status + " from " + uri);
        response.headers().firstValue("Location").filter(l -> status >= 300 && status < 400)
                .ifPresent(l -> line.append(" (Location: ").append(l).append("; point --manager at the final URL)"));
        String firstLine = text.strip().lines().findFirst().orElse("");
        if (!firstLine.isEmpty() && status >= 400) {
            line.append(": ").append(firstLine.length() > 200 ? firstLine.substring(0, 200) + "..." : firstLine);
        }
        throw new BadAnswerException(line.toString());
    }

    /** The body as JSON, or null when it is not JSON (an HTML error page from a proxy, say). */
    private static JsonNode parseOrNull(String text) {
        try {
            return Json.parse(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Retry-After in delta-seconds (the contract's form); an HTTP-date is not expected and is ignored. */
    private static OptionalLong retryAfter(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).filter(s -> s.matches("\\d{1,9}"))
                .map(s -> OptionalLong.of(Long.parseLong(s))).orElse(OptionalLong.empty());
    }

    private String reason(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + seconds(CONNECT_TIMEOUT);
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + seconds(requestTimeout);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e instanceof ConnectException ? "cannot connect" : e.getClass().getSimpleName();
        }
        boolean sentenceCase = message.length() > 1 && Character.isUpperCase(message.charAt(0))
                && Character.isLowerCase(message.charAt(1));
        return sentenceCase ? message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1) : message;
    }
}
