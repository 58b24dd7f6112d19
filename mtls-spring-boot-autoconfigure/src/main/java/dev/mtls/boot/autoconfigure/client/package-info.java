/**
 * Auto-configuration of outbound HTTP clients so that they present the mTLS identity.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
