package dev.mtls.boot.forwarded.servlet;

import dev.mtls.boot.forwarded.ForwardedCertificateResolver;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

/**
 * Registers a {@link ForwardedCertificateFilter} the same way on every servlet server of
 * the application: the main one and a separate management server.
 *
 * @since 0.1.0
 */
public final class ForwardedCertificateFilterRegistration {

	private ForwardedCertificateFilterRegistration() {
	}

	/**
	 * Create the registration of a filter for the given resolver: first of all filters,
	 * on every dispatch.
	 * @param resolver decides each request
	 * @return the registration
	 */
	public static FilterRegistrationBean<ForwardedCertificateFilter> of(ForwardedCertificateResolver resolver) {
		FilterRegistrationBean<ForwardedCertificateFilter> registration = new FilterRegistrationBean<>(
				new ForwardedCertificateFilter(resolver));
		registration.setName("mtlsForwardedCertificateFilter");
		// First of all: nothing may read a forwarding header before it is checked.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR,
				DispatcherType.FORWARD, DispatcherType.INCLUDE);
		return registration;
	}

}
