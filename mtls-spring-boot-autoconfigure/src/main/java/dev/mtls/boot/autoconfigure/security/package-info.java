/**
 * Configuration properties of Spring Security for mutual TLS, shared by every web stack:
 * principals and authorization rules.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
