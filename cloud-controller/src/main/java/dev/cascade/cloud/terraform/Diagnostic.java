package dev.cascade.cloud.terraform;

/**
 * One Terraform diagnostic (a {@code "type":"diagnostic"} line, or a {@code diagnostic} inside another message).
 *
 * @param severity {@code error} or {@code warning}
 * @param address  the resource it is about ({@code module.edge_local.terraform_data.node["e1"]}), or null
 * @param where    {@code file:line} of the configuration it points at, or null
 */
public record Diagnostic(String severity, String summary, String detail, String address, String where) {
    public boolean isError() {
        return "error".equals(severity);
    }

    /** {@code Error: summary} then the detail, as Terraform prints it. */
    public String render() {
        StringBuilder b = new StringBuilder(isError() ? "Error: " : "Warning: ").append(summary);
        if (address != null && !address.isEmpty()) {
            b.append("\n  with ").append(address);
        }
        if (where != null && !where.isEmpty()) {
            b.append("\n  on ").append(where);
        }
        if (detail != null && !detail.isBlank()) {
            b.append("\n\n").append(detail.strip());
        }
        return b.toString();
    }

    /** One line: {@code error: summary: detail}. */
    public String oneLine() {
        String d = detail == null ? "" : detail.strip().replaceAll("\\s*\\n\\s*", " ");
        if (d.length() > 500) {
            d = d.substring(0, 500) + "...";
        }
        return severity + ": " + summary + (d.isEmpty() ? "" : ": " + d)
                + (address == null || address.isEmpty() ? "" : " (" + address + ")");
    }
}
