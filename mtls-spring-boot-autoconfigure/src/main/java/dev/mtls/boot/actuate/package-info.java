/**
 * Actuator support: the mtls health indicator, endpoint, info contributor and metrics.
 */
@NullMarked
package dev.mtls.boot.actuate;

import org.jspecify.annotations.NullMarked;
