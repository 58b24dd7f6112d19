/**
 * Reactor Netty adapter: the mTLS server's SSL context.
 */
@NullMarked
package dev.mtls.boot.netty;

import org.jspecify.annotations.NullMarked;
