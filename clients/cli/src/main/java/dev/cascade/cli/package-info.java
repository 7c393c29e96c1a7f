/** {@code cascadectl}, the admin CLI: picocli commands over the stream manager's REST API ({@code /api/v1}). */
package dev.cascade.cli;
