/**
 * Spring Security for servlet applications: the certificate filter, path rules and the
 * one-line configurer.
 */
@NullMarked
package dev.mtls.boot.security.servlet;

import org.jspecify.annotations.NullMarked;
