/**
 * Client certificates forwarded in a header by a TLS-terminating proxy: the header
 * formats, the trusted proxies, and the decision for each request, shared by the servlet
 * and the reactive filters.
 */
@NullMarked
package dev.mtls.boot.forwarded;

import org.jspecify.annotations.NullMarked;
