package dev.mtls.boot.servers;

import java.util.Locale;

/**
 * An HTTP/1.1 response as {@code TlsProbe} reads it, with the body decoded whether the
 * server sent a length or chunks (servers differ there, and the tests must not).
 *
 * @param status the status code
 * @param body the decoded body
 */
record Response(int status, String body) {

	/**
	 * Parse the raw response text of one request.
	 * @param raw the response, status line first
	 * @return the response
	 */
	static Response parse(String raw) {
		if (!raw.startsWith("HTTP/1.1 ")) {
			throw new IllegalArgumentException("Not an HTTP/1.1 response: '" + raw + "'");
		}
		int status = Integer.parseInt(raw.substring(9, 12));
		int headersEnd = raw.indexOf("\r\n\r\n");
		if (headersEnd < 0) {
			throw new IllegalArgumentException("Response without the end of its headers: '" + raw + "'");
		}
		String headers = raw.substring(0, headersEnd).toLowerCase(Locale.ROOT);
		String body = raw.substring(headersEnd + 4);
		return new Response(status, headers.contains("\r\ntransfer-encoding: chunked") ? dechunk(body) : body);
	}

	private static String dechunk(String chunked) {
		// Test bodies are ASCII: a character is a byte.
		StringBuilder body = new StringBuilder();
		int position = 0;
		while (true) {
			int lineEnd = chunked.indexOf("\r\n", position);
			String sizeText = chunked.substring(position, lineEnd);
			int extension = sizeText.indexOf(';');
			int size = Integer.parseInt((extension >= 0) ? sizeText.substring(0, extension) : sizeText.trim(), 16);
			if (size == 0) {
				return body.toString();
			}
			body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
			position = lineEnd + 2 + size + 2;
		}
	}

}
