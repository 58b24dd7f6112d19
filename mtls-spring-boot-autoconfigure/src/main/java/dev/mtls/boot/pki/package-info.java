/**
 * Certificate minting with BouncyCastle: a certificate authority, certificate requests
 * for every kind of peer and CRLs. Shared by dev mode and the test module
 * ({@code mtls-spring-boot-test}).
 */
@NullMarked
package dev.mtls.boot.pki;

import org.jspecify.annotations.NullMarked;
