/** Typed, validated node configuration: defaults from one shipped YAML file, overrides from file, env and CLI. */
package dev.cascade.node.config;
