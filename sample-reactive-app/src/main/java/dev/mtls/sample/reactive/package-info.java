/**
 * A reactive (WebFlux) sample service secured by mtls-spring-boot-starter.
 */
@NullMarked
package dev.mtls.sample.reactive;

import org.jspecify.annotations.NullMarked;
