/**
 * A SPIFFE Workload API for tests: {@link dev.mtls.boot.test.spiffe.TestWorkloadApi}.
 */
@NullMarked
package dev.mtls.boot.test.spiffe;

import org.jspecify.annotations.NullMarked;
