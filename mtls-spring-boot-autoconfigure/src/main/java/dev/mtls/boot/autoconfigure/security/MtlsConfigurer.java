package dev.mtls.boot.autoconfigure.security;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.preauth.x509.X509AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Applies mTLS authentication to an {@link HttpSecurity}: the verified client certificate
 * of each request becomes its principal, and a request without one gets 401.
 *
 * <pre class="code">
 * http.with(new MtlsConfigurer(provider), Customizer.withDefaults());
 * </pre>
 *
 * @since 0.1.0
 */
public final class MtlsConfigurer extends AbstractHttpConfigurer<MtlsConfigurer, HttpSecurity> {

	private final AuthenticationProvider authenticationProvider;

	/**
	 * Create a configurer that authenticates certificates with the given provider.
	 * @param authenticationProvider usually a {@link CertificateAuthenticationProvider}
	 */
	public MtlsConfigurer(AuthenticationProvider authenticationProvider) {
		this.authenticationProvider = authenticationProvider;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void init(HttpSecurity http) {
		ExceptionHandlingConfigurer<HttpSecurity> exceptionHandling = http.getConfigurer(ExceptionHandlingConfigurer.class);
		if (exceptionHandling != null) {
			exceptionHandling.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
					AnyRequestMatcher.INSTANCE);
		}
	}

	@Override
	public void configure(HttpSecurity http) {
		X509AuthenticationFilter filter = new X509AuthenticationFilter();
		// The certificate itself is the principal; the provider turns it into an identity.
		filter.setPrincipalExtractor((certificate) -> certificate);
		filter.setAuthenticationManager(new ProviderManager(this.authenticationProvider));
		filter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
		filter.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
		filter.afterPropertiesSet();
		http.addFilter(postProcess(filter));
	}

}
