package dev.mtls.boot.trust;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one place that sets the JDK's JVM-wide system properties for online revocation:
 * OCSP and CRL connect and read timeouts ({@code com.sun.security.ocsp.timeout},
 * {@code .ocsp.readtimeout}, {@code .crl.timeout}, {@code .crl.readtimeout}) and fetching
 * CRLs from distribution points ({@code com.sun.security.enableCRLDP}). The JDK reads
 * them once per JVM, so they are set once, by the first application context that asks for
 * online revocation, and only where not set already (for example with {@code -D} options,
 * which win). A later context that asks for other values is told, once, that its values
 * cannot apply and which values were set.
 */
final class RevocationSystemProperties {

	private static final Log logger = LogFactory.getLog(RevocationSystemProperties.class);

	private static final RevocationSystemProperties JVM = new RevocationSystemProperties(System::getProperty,
			System::setProperty);

	private final Function<String, @Nullable String> reader;

	private final BiConsumer<String, String> writer;

	private @Nullable Map<String, String> applied;

	private @Nullable Map<String, String> inForce;

	private boolean warned;

	RevocationSystemProperties(Function<String, @Nullable String> reader, BiConsumer<String, String> writer) {
		this.reader = reader;
		this.writer = writer;
	}

	/**
	 * Set the JVM's revocation system properties for these options, unless an earlier
	 * call set them already.
	 * @param revocation the online revocation options
	 */
	static void apply(OnlineRevocation revocation) {
		JVM.applyOnce(revocation);
	}

	/**
	 * Set the properties the options ask for, the first time options ask for any.
	 * @param revocation the online revocation options
	 * @return whether the options' values are the ones set
	 */
	synchronized boolean applyOnce(OnlineRevocation revocation) {
		Map<String, String> wanted = wanted(revocation);
		if (wanted.isEmpty()) {
			return true;
		}
		Map<String, String> applied = this.applied;
		if (applied == null) {
			Map<String, String> inForce = new TreeMap<>();
			wanted.forEach((name, value) -> {
				String existing = this.reader.apply(name);
				if (existing == null) {
					this.writer.accept(name, value);
				}
				inForce.put(name, (existing != null) ? existing : value);
			});
			this.applied = wanted;
			this.inForce = inForce;
			return true;
		}
		if (applied.equals(wanted)) {
			return true;
		}
		if (!this.warned) {
			this.warned = true;
			logger.warn(("mTLS revocation settings %s cannot apply: the JDK reads them once per JVM, and an earlier "
					+ "application context set them to %s (or they were given with -D)")
				.formatted(wanted, this.inForce));
		}
		return false;
	}

	private static Map<String, String> wanted(OnlineRevocation revocation) {
		Map<String, String> wanted = new TreeMap<>();
		if (!revocation.enabled()) {
			return wanted;
		}
		String seconds = String.valueOf(Math.max(1, revocation.timeout().toSeconds()));
		wanted.put("com.sun.security.ocsp.timeout", seconds);
		wanted.put("com.sun.security.ocsp.readtimeout", seconds);
		wanted.put("com.sun.security.crl.timeout", seconds);
		wanted.put("com.sun.security.crl.readtimeout", seconds);
		if (revocation.distributionPoints()) {
			wanted.put("com.sun.security.enableCRLDP", "true");
		}
		return wanted;
	}

}
