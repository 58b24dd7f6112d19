/**
 * Web-server-neutral customization: serve the mTLS bundle with the configured
 * client-auth.
 */
@NullMarked
package dev.mtls.boot.web.server;

import org.jspecify.annotations.NullMarked;
