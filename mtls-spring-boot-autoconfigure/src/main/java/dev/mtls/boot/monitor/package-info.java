/**
 * What happens to peers and material at run time, for metrics, health and the mtls
 * endpoint.
 */
@NullMarked
package dev.mtls.boot.monitor;

import org.jspecify.annotations.NullMarked;
