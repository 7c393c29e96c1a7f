/** The Cascade media node: one program, three roles (origin, relay, edge). */
package dev.cascade.node;
