package dev.mtls.boot.identity;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.naming.InvalidNameException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import org.jspecify.annotations.Nullable;

/**
 * A distinguished name as identity patterns compare it: RDN by RDN in order, the
 * attributes of a multi-valued RDN in any order, ASCII letters without case, spaces at
 * either end of a value and runs of spaces inside it as one; every other character
 * exactly. The JDK's {@linkplain X500Principal#CANONICAL canonical form} also folds the
 * case of every script and compatibility forms, so that a subject {@code CN=admın}
 * (dotless i) or {@code CN=ａdmin} (fullwidth a) equals {@code CN=admin}.
 */
final class DistinguishedNameKey {

	/**
	 * The most attributes one RDN may hold for its name to have a key. Real names hold
	 * one to three; reading an RDN's attributes takes time growing with the square of
	 * their number, and a certificate's subject is read before its chain is validated.
	 */
	static final int MAX_RDN_ATTRIBUTES = 16;

	private DistinguishedNameKey() {
	}

	/**
	 * Return the key of a distinguished name: two names are equal as patterns compare
	 * them exactly when their keys are.
	 * @param principal the name
	 * @return its key, or {@code null} if the JDK's rendering of it cannot be read back
	 * or an RDN holds more than {@value #MAX_RDN_ATTRIBUTES} attributes (such a name
	 * equals none)
	 */
	static @Nullable String of(X500Principal principal) {
		List<Rdn> rdns;
		try {
			rdns = new LdapName(principal.getName(X500Principal.RFC2253)).getRdns();
		}
		catch (InvalidNameException ex) {
			return null;
		}
		StringBuilder key = new StringBuilder();
		for (Rdn rdn : rdns) {
			if (rdn.size() > MAX_RDN_ATTRIBUTES) {
				return null;
			}
			List<String> attributes = new ArrayList<>();
			try {
				NamingEnumeration<? extends Attribute> all = rdn.toAttributes().getAll();
				while (all.hasMore()) {
					Attribute attribute = all.next();
					String type = AsciiCase.toLowerCase(attribute.getID());
					NamingEnumeration<?> values = attribute.getAll();
					while (values.hasMore()) {
						attributes.add(type + "=" + value(values.next()));
					}
				}
			}
			catch (NamingException ex) {
				return null;
			}
			attributes.sort(null);
			if (!key.isEmpty()) {
				key.append(',');
			}
			key.append(String.join("+", attributes));
		}
		return key.toString();
	}

	private static String value(Object value) {
		if (value instanceof byte[] bytes) {
			return "#" + HexFormat.of().formatHex(bytes);
		}
		String text = String.valueOf(value).replaceAll(" {2,}", " ");
		int start = text.startsWith(" ") ? 1 : 0;
		int end = (text.length() > start && text.endsWith(" ")) ? text.length() - 1 : text.length();
		return Rdn.escapeValue(AsciiCase.toLowerCase(text.substring(start, end)));
	}

}
