/** The cloud controller's API: desired nodes in, Terraform runs in a locked working directory per deployment, nodes out. */
package dev.cascade.cloud;
