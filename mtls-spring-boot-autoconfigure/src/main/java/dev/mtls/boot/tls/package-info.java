/**
 * The service's TLS material (identity, trust, CRLs), its loading and reloading, and the
 * key managers and SSL contexts built from it. Web-stack-neutral.
 */
@NullMarked
package dev.mtls.boot.tls;

import org.jspecify.annotations.NullMarked;
