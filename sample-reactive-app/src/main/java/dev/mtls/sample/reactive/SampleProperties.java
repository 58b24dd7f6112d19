package dev.mtls.sample.reactive;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the reactive sample service.
 *
 * @param downstream the mTLS service that {@code GET /call} calls; by default the sample
 * itself, on the port the request came in on
 */
@ConfigurationProperties("sample")
public record SampleProperties(@Nullable URI downstream) {
}
