package dev.cascade.cloud.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One line of Terraform's machine-readable UI ({@code terraform init|plan|apply -json}).
 *
 * <p>Every line is a JSON object with {@code @level}, {@code @message} and {@code type}
 * (https://developer.hashicorp.com/terraform/internals/machine-readable-ui). The types used here:
 * {@code version}, {@code init_output}, {@code log}, {@code refresh_start}, {@code refresh_complete},
 * {@code planned_change}, {@code resource_drift}, {@code change_summary} ({@code changes.operation}: plan, apply
 * or destroy), {@code apply_start}, {@code apply_progress}, {@code apply_complete}, {@code apply_errored},
 * {@code provision_start}, {@code provision_progress}, {@code provision_complete}, {@code provision_errored},
 * {@code outputs}, {@code diagnostic}. A line that is not JSON (init still prints some plain text) becomes
 * type {@code text}.
 *
 * @param operation  {@code changes.operation} of a {@code change_summary}, else null
 * @param address    the resource address of a hook or change ({@code hook.resource.addr}), else null
 * @param diagnostic the diagnostic of a {@code diagnostic} line, else null
 */
public record TerraformEvent(String type, String level, String message, String operation, String address,
                             Diagnostic diagnostic) {
    public static final String TEXT = "text";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Never throws: anything that is not a Terraform JSON line is a {@code text} event holding the line. */
    public static TerraformEvent parse(String line) {
        String s = line.strip();
        if (s.startsWith("{")) {
            try {
                JsonNode n = JSON.readTree(s);
                if (n != null && n.isObject() && n.hasNonNull("type")) {
                    return of(n);
                }
            } catch (Exception e) {
                // not JSON after all: a text line
            }
        }
        return new TerraformEvent(TEXT, "info", s, null, null, null);
    }

    private static TerraformEvent of(JsonNode n) {
        String type = n.path("type").asText();
        String level = n.path("@level").asText("info");
        String message = n.path("@message").asText("");
        String operation = n.path("changes").path("operation").asText(null);
        String address = text(n.path("hook").path("resource").path("addr"));
        if (address == null) {
            address = text(n.path("change").path("resource").path("addr"));
        }
        Diagnostic diagnostic = null;
        JsonNode d = n.path("diagnostic");
        if (d.isObject()) {
            String where = null;
            JsonNode r = d.path("range");
            if (r.isObject()) {
                where = r.path("filename").asText("") + ":" + r.path("start").path("line").asInt();
            }
            diagnostic = new Diagnostic(d.path("severity").asText("error"), d.path("summary").asText(""),
                    d.path("detail").asText(""), text(d.path("address")), where);
        }
        return new TerraformEvent(type, level, message, operation, address, diagnostic);
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    public boolean isError() {
        return "error".equals(level) || (diagnostic != null && diagnostic.isError());
    }
}
