/** Running the terraform CLI: the process and its tree, the {@code -json} UI lines, diagnostics and the retry rule. */
package dev.cascade.cloud.terraform;
