/**
 * libsrt (Debian's libsrt1.5-openssl) through JNA direct mapping: sockets, the listen callback,
 * epoll-driven I/O on a dedicated thread, and per-connection statistics.
 */
package dev.cascade.node.srt;
