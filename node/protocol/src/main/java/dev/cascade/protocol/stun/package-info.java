/**
 * STUN (RFC 8489, compatible with RFC 5389) messages as an ICE-lite agent (RFC 8445) needs them:
 * Binding requests in, success and error responses out, with short-term credential
 * MESSAGE-INTEGRITY and FINGERPRINT.
 */
package dev.cascade.protocol.stun;
