/**
 * SPIFFE adapter: identity and trust from the SPIFFE Workload API, through java-spiffe.
 */
@NullMarked
package dev.mtls.boot.spiffe;

import org.jspecify.annotations.NullMarked;
