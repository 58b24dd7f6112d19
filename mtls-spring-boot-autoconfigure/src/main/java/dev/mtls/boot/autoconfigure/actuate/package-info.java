/**
 * Actuator integration: the mtls health component, endpoint, info and metrics.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
