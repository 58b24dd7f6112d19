/**
 * A sample service secured by mtls-spring-boot-starter.
 */
@NullMarked
package dev.mtls.sample;

import org.jspecify.annotations.NullMarked;
