package dev.cascade.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * WHEP signalling (draft-ietf-wish-whep): {@code POST} the offer as {@code application/sdp}, get
 * {@code 201 Created} with the answer and the session's {@code Location}; {@code DELETE} it to end.
 */
public final class WhepSignaling {
    /** A session the server created. */
    public record Session(URI resource, String answer) {}

    /** A refusal: the status and the problem body the server sent. */
    public static final class Refused extends IOException {
        public final int status;
        public final String body;

        Refused(int status, String body) {
            super("WHEP offer refused with " + status + ": " + body);
            this.status = status;
            this.body = body;
        }
    }

    private final HttpClient http;

    public WhepSignaling() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    public WhepSignaling(HttpClient http) {
        this.http = http;
    }

    public Session offer(URI endpoint, String sdp) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(15))
                .header("content-type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(sdp)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new Refused(r.statusCode(), r.body());
        }
        String location = r.headers().firstValue("location")
                .orElseThrow(() -> new IOException("201 without a Location header"));
        return new Session(endpoint.resolve(location), r.body());
    }

    /** Ends the session; returns the status (200 when it existed). */
    public int delete(Session s) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(s.resource()).timeout(Duration.ofSeconds(10)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
