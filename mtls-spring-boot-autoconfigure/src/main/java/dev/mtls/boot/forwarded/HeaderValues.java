package dev.mtls.boot.forwarded;

import java.util.List;

/**
 * The values of a request's headers, as a web stack gives them.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface HeaderValues {

	/**
	 * Return the values of a header.
	 * @param name the header's name, in any case
	 * @return its values, in the order received; empty if the request has none
	 */
	List<String> get(String name);

}
