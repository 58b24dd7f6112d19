package dev.mtls.boot.security.servlet;

import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mtls.boot.forwarded.ForwardingProxy;
import dev.mtls.boot.pki.CertificateAuthority;
import jakarta.servlet.DispatcherType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CertificateChainAuthenticationFilter}.
 */
class CertificateChainAuthenticationFilterTests {

	private static final X509Certificate[] CHAIN = {
			CertificateAuthority.create("Filter CA").certificate("alice").clientAuth().issue().getCertificate() };

	private final AtomicInteger attempts = new AtomicInteger();

	private boolean refuse;

	private @Nullable Throwable refusalCause;

	private final AuthenticationManager manager = (token) -> {
		this.attempts.incrementAndGet();
		if (this.refuse) {
			throw new BadCredentialsException("refused", this.refusalCause);
		}
		return new TestingAuthenticationToken("alice", token.getCredentials(), "ROLE_SERVICE");
	};

	private final SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();

	private final CertificateChainAuthenticationFilter filter = new CertificateChainAuthenticationFilter(this.manager,
			this.strategy);

	@AfterEach
	void clear() {
		this.strategy.clearContext();
	}

	@Test
	void doFilterWhenRequestWithChainThenAuthenticatesAndKeepsContextInRequest() throws Exception {
		MockHttpServletRequest request = request(DispatcherType.REQUEST);

		this.filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());

		assertThat(this.attempts).hasValue(1);
		assertThat(this.strategy.getContext().getAuthentication().getName()).isEqualTo("alice");
		assertThat(new RequestAttributeSecurityContextRepository().containsContext(request)).isTrue();
	}

	@Test
	void doFilterWhenErrorDispatchOfRefusedRequestThenNotAskedAgain() throws Exception {
		// The refusal is counted, logged and published once, on the request's own
		// dispatch; the error page's dispatch that renders its 401 must not repeat it.
		this.refuse = true;
		this.filter.doFilter(request(DispatcherType.REQUEST), new MockHttpServletResponse(), new MockFilterChain());
		this.filter.doFilter(request(DispatcherType.ERROR), new MockHttpServletResponse(), new MockFilterChain());
		this.filter.doFilter(request(DispatcherType.FORWARD), new MockHttpServletResponse(), new MockFilterChain());
		this.filter.doFilter(request(DispatcherType.ASYNC), new MockHttpServletResponse(), new MockFilterChain());

		assertThat(this.attempts).hasValue(1);
		assertThat(this.strategy.getContext().getAuthentication()).isNull();
	}

	@Test
	void doFilterWhenAlreadyAuthenticatedThenNotAskedAgain() throws Exception {
		this.strategy.getContext().setAuthentication(new TestingAuthenticationToken("bob", null));

		this.filter.doFilter(request(DispatcherType.REQUEST), new MockHttpServletResponse(), new MockFilterChain());

		assertThat(this.attempts).hasValue(0);
		assertThat(this.strategy.getContext().getAuthentication().getName()).isEqualTo("bob");
	}

	@Test
	void doFilterWhenNoChainThenGoesOnUnauthenticated() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/hello");
		MockFilterChain chain = new MockFilterChain();

		this.filter.doFilter(request, new MockHttpServletResponse(), chain);

		assertThat(this.attempts).hasValue(0);
		assertThat(chain.getRequest()).isSameAs(request);
	}

	@Test
	void doFilterWhenVerificationRefusesThenAsksForNewConnection() throws Exception {
		this.refuse = true;
		this.refusalCause = new CertificateExpiredException("expired");
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(request(DispatcherType.REQUEST), response, new MockFilterChain());

		assertThat(response.getHeader("Connection")).isEqualTo("close");
	}

	@Test
	void doFilterWhenCertificateCannotNameAPrincipalThenConnectionKept() throws Exception {
		// The same certificate would come back on a new connection.
		this.refuse = true;
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(request(DispatcherType.REQUEST), response, new MockFilterChain());

		assertThat(response.getHeader("Connection")).isNull();
	}

	@Test
	void doFilterWhenForwardedByTrustedProxyThenProxysConnectionKept() throws Exception {
		this.refuse = true;
		this.refusalCause = new CertificateExpiredException("expired");
		MockHttpServletRequest request = request(DispatcherType.REQUEST);
		request.setAttribute(ForwardingProxy.ATTRIBUTE, "proxy");
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(request, response, new MockFilterChain());

		assertThat(response.getHeader("Connection")).isNull();
	}

	@Test
	void doFilterWhenCertificateYoungThenConnectionKept() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(request(DispatcherType.REQUEST), response, new MockFilterChain());

		assertThat(response.getHeader("Connection")).isNull();
	}

	@Test
	void doFilterWhenCertificateInItsLastQuarterThenAsksForNewConnectionOnHttp11Only() throws Exception {
		Instant now = Instant.now();
		X509Certificate ageing = CertificateAuthority.create("Filter CA")
			.certificate("ageing")
			.clientAuth()
			.validity(now.minus(Duration.ofHours(3)), now.plus(Duration.ofMinutes(10)))
			.issue()
			.getCertificate();
		MockHttpServletRequest http11 = request(DispatcherType.REQUEST);
		http11.setAttribute("jakarta.servlet.request.X509Certificate", new X509Certificate[] { ageing });
		MockHttpServletResponse response11 = new MockHttpServletResponse();
		MockHttpServletRequest http2 = request(DispatcherType.REQUEST);
		http2.setAttribute("jakarta.servlet.request.X509Certificate", new X509Certificate[] { ageing });
		http2.setProtocol("HTTP/2.0");
		MockHttpServletResponse response2 = new MockHttpServletResponse();

		this.filter.doFilter(http11, response11, new MockFilterChain());
		this.strategy.clearContext();
		this.filter.doFilter(http2, response2, new MockFilterChain());

		assertThat(response11.getHeader("Connection")).isEqualTo("close");
		assertThat(response2.getHeader("Connection")).isNull();
	}

	private static MockHttpServletRequest request(DispatcherType dispatcherType) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/hello");
		request.setProtocol("HTTP/1.1");
		request.setDispatcherType(dispatcherType);
		request.setAttribute("jakarta.servlet.request.X509Certificate", CHAIN);
		return request;
	}

}
