/**
 * Auto-configuration of Spring Security for servlet applications: certificate
 * authentication and rules.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.security.servlet;

import org.jspecify.annotations.NullMarked;
