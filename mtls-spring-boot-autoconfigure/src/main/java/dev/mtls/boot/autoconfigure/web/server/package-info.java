/**
 * Auto-configuration of the embedded web server (and its Tomcat connector) for mutual
 * TLS.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.web.server;

import org.jspecify.annotations.NullMarked;
