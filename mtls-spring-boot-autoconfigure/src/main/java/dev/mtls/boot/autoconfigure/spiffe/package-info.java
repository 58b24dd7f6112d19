/**
 * Auto-configuration of identity and trust from the SPIFFE Workload API.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.spiffe;

import org.jspecify.annotations.NullMarked;
