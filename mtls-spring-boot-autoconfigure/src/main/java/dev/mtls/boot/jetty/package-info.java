/**
 * Jetty adapter: the mTLS connector's SSL context.
 */
@NullMarked
package dev.mtls.boot.jetty;

import org.jspecify.annotations.NullMarked;
