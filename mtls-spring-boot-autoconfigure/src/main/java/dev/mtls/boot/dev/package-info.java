/**
 * A local certificate authority for development and tests.
 */
@NullMarked
package dev.mtls.boot.dev;

import org.jspecify.annotations.NullMarked;
