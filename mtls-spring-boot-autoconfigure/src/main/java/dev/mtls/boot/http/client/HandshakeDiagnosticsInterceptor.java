package dev.mtls.boot.http.client;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.trust.CertificateRejectedException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Turns an outbound TLS handshake failure into an {@link MtlsHandshakeException} that
 * says why in words: the server's certificate is untrusted, expired, revoked or for
 * another host, our certificate was refused by the server, or no protocol or suite is
 * shared.
 */
public class HandshakeDiagnosticsInterceptor implements ClientHttpRequestInterceptor {

	private static final Pattern ALERT = Pattern.compile("fatal alert: (\\w+)");

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		try {
			return execution.execute(request, body);
		}
		catch (IOException ex) {
			if (find(ex, SSLException.class) == null || ex instanceof MtlsHandshakeException) {
				throw ex;
			}
			throw new MtlsHandshakeException(explain(request.getURI().getHost(), ex), ex);
		}
	}

	static String explain(String host, Throwable failure) {
		CertificateRejectedException rejected = find(failure, CertificateRejectedException.class);
		if (rejected != null) {
			String problem = switch (rejected.getReason()) {
				case UNTRUSTED -> "is not trusted: it does not chain to a CA of mtls.trust";
				case NAME_MISMATCH -> "does not match the host name '" + host + "'";
				case EXPIRED -> "is expired or not yet valid";
				case REVOKED -> "is revoked, or its revocation status is unknown";
				case POLICY -> "breaks the certificate policy (mtls.policy)";
			};
			return "TLS handshake with '%s' failed: the server's certificate %s. %s".formatted(host, problem,
					rejected.getMessage());
		}
		SSLPeerUnverifiedException unverified = find(failure, SSLPeerUnverifiedException.class);
		if (unverified != null) {
			// Apache HttpClient checks the host name itself, after the handshake.
			return "TLS handshake with '%s' failed: the server's certificate does not match the host name '%s'. %s"
				.formatted(host, host, CertificateText.escapeMessage(unverified.getMessage()));
		}
		String alert = alert(failure);
		if (alert != null
				&& (alert.contains("certificate") || alert.equals("unknown_ca") || alert.equals("access_denied"))) {
			return ("TLS handshake with '%s' failed: the server refused our certificate (alert %s). Check that it "
					+ "trusts the CA of mtls.identity and that our certificate is valid and allows clientAuth.")
				.formatted(host, alert);
		}
		if (alert != null && (alert.equals("handshake_failure") || alert.equals("protocol_version")
				|| alert.equals("insufficient_security"))) {
			return ("TLS handshake with '%s' failed: no TLS protocol or cipher suite in common (alert %s); "
					+ "mtls.server.protocols and mtls.server.cipher-suites apply to outbound calls too.")
				.formatted(host, alert);
		}
		return "TLS handshake with '%s' failed: %s".formatted(host,
				CertificateText.escapeMessage(failure.getMessage()));
	}

	private static @Nullable String alert(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			Matcher matcher = ALERT.matcher(String.valueOf(cause.getMessage()));
			if (matcher.find()) {
				return matcher.group(1).toLowerCase(Locale.ROOT);
			}
		}
		return null;
	}

	private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
