package dev.cascade.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The router and openapi.yaml list the same routes, with the same access rules. */
class OpenApiContractTest {
    private static JsonNode openapi() throws Exception {
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        Set<String> documented = new TreeSet<>();
        JsonNode paths = openapi().path("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            for (Iterator<String> ms = paths.get(path).fieldNames(); ms.hasNext(); ) {
                String m = ms.next();
                if (METHODS.contains(m)) {
                    documented.add(m.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        Set<String> routed = new TreeSet<>();
        for (Api.Endpoint e : new Api(null).endpoints()) {
            routed.add(e.method().name() + " " + e.path());
        }
        assertThat(routed).isEqualTo(documented);
        assertThat(routed).hasSizeGreaterThan(20);
    }

    /** Public endpoints say `security: []`, node endpoints the join token, the rest the API key. */
    @Test
    void accessRulesMatchTheDocumentedSecurity() throws Exception {
        JsonNode doc = openapi();
        for (Api.Endpoint e : new Api(null).endpoints()) {
            JsonNode op = doc.path("paths").path(e.path()).path(e.method().name().toLowerCase(Locale.ROOT));
            JsonNode security = op.has("security") ? op.get("security") : doc.path("security");
            String scheme = security.size() == 0 ? "none" : security.get(0).fieldNames().next();
            String expected = switch (e.access()) {
                case PUBLIC -> "none";
                case NODE -> "joinToken";
                case READ, ADMIN -> "apiKey";
            };
            assertThat(scheme).as(e.method() + " " + e.path()).isEqualTo(expected);
        }
    }

    @Test
    void everyProblemTypeTheCodeUsesIsDocumented() throws Exception {
        String described = openapi().path("components").path("schemas").path("Problem").path("description").asText();
        for (String slug : new String[] {"bad-json", "unknown-field", "bad-type", "invalid-value", "bad-parameter",
                "bad-stream", "body-too-large", "unsupported-media-type", "unauthorized", "forbidden", "join-token-invalid",
                "not-found", "node-not-found", "node-not-registered", "stream-not-found", "node-group-not-found",
                "api-key-not-found", "provision-not-found", "conflict", "method-not-allowed", "no-capacity", "cluster-unavailable"}) {
            assertThat(described).as(slug).contains(slug);
        }
    }
}
