/**
 * Forwarded client certificates on the servlet stack: a filter ahead of every other.
 */
@NullMarked
package dev.mtls.boot.forwarded.servlet;

import org.jspecify.annotations.NullMarked;
