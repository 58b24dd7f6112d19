package dev.mtls.sample;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample service.
 *
 * @param downstream the mTLS service that {@code GET /call} calls
 */
@ConfigurationProperties("sample")
public record SampleProperties(URI downstream) {
}
