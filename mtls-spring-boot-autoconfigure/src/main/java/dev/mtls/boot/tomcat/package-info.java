/**
 * Tomcat adapter: the mTLS connector's SSL context, TLS request attributes and
 * keep-alive.
 */
@NullMarked
package dev.mtls.boot.tomcat;

import org.jspecify.annotations.NullMarked;
