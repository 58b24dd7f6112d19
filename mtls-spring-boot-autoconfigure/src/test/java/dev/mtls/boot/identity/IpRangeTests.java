package dev.mtls.boot.identity;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link IpRange}: addresses and ranges against address literals as the JDK
 * renders IP SANs (IPv6 uncompressed), and values that are refused.
 */
class IpRangeTests {

	@ParameterizedTest(name = "{0} against {1}: {2}")
	@CsvSource(delimiter = ' ', value = {
			// exact addresses
			"10.1.2.3 10.1.2.3 true", "10.1.2.3 10.1.2.4 false", "010.001.002.003 10.1.2.3 true",
			"2001:db8::7 2001:db8:0:0:0:0:0:7 true", "2001:DB8::7 2001:db8:0:0:0:0:0:7 true",
			"[2001:db8::7] 2001:db8:0:0:0:0:0:7 true", "2001:db8::7 2001:db8:0:0:0:0:0:8 false",
			// zero-compression anywhere, and none
			":: 0:0:0:0:0:0:0:0 true", "::1 0:0:0:0:0:0:0:1 true", "1:: 1:0:0:0:0:0:0:0 true",
			"1:2:3::7:8 1:2:3:0:0:0:7:8 true", "1:2:3:4:5:6:7:8 1:2:3:4:5:6:7:8 true",
			"1:2:3:4:5:6:7:: 1:2:3:4:5:6:7:0 true", "::2:3:4:5:6:7:8 0:2:3:4:5:6:7:8 true",
			"1:2:3:4:5:6:1.2.3.4 1:2:3:4:5:6:102:304 true",
			// /0 matches every address of the same family, and only those
			"0.0.0.0/0 255.255.255.255 true", "0.0.0.0/0 0:0:0:0:0:0:0:1 false", "::/0 ffff:0:0:0:0:0:0:1 true",
			"::/0 10.1.2.3 false",
			// full-length prefixes are exact
			"10.1.2.3/32 10.1.2.3 true", "10.1.2.3/32 10.1.2.2 false", "::1/128 0:0:0:0:0:0:0:1 true",
			"::1/128 0:0:0:0:0:0:0:0 false",
			// /127 holds two addresses
			"::2/127 0:0:0:0:0:0:0:2 true", "::2/127 0:0:0:0:0:0:0:3 true", "::2/127 0:0:0:0:0:0:0:1 false",
			"::2/127 0:0:0:0:0:0:0:4 false",
			// prefixes not on a byte boundary
			"10.0.0.0/20 10.0.15.255 true", "10.0.0.0/20 10.0.16.0 false", "10.0.0.0/20 9.255.255.255 false",
			"172.16.0.0/12 172.31.255.255 true", "172.16.0.0/12 172.32.0.0 false",
			"2001:db8::/121 2001:db8:0:0:0:0:0:7f true", "2001:db8::/121 2001:db8:0:0:0:0:0:80 false",
			// bits past the prefix are ignored, as Spring Security's IpAddressMatcher did
			"10.1.2.3/8 10.200.0.1 true", "10.1.2.3/8 11.1.2.3 false", "2001:db8::7/32 2001:db8:ffff:0:0:0:0:1 true",
			// IPv4 never matches IPv6, and the other way round
			"10.1.2.3 0:0:0:0:0:0:a01:203 false", "::a01:203 10.1.2.3 false", "10.0.0.0/8 0:0:0:0:0:0:a00:1 false",
			// IPv4-mapped IPv6 is the IPv4 address it maps, as the JDK reads it
			"::ffff:10.1.2.3 10.1.2.3 true", "::ffff:10.0.0.0/8 10.1.2.3 true", "10.1.2.3 0:0:0:0:0:ffff:a01:203 true",
			// a certificate value that is no address matches nothing
			"0.0.0.0/0 example.com false", "::/0 zz::1 false", "0.0.0.0/0 '' false" })
	void matchesWhenRangeAndAddressThenExpected(String range, String address, boolean expected) {
		IpRange parsed = IpRange.parse("ip:" + range, range);

		assertThat(parsed.matches(address)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "", "example.com", "10.0.0", "10.0.0.0.1", "10.0.0.256", "999.1.1.1", "-1.0.0.0",
			"10.0.0.1 ", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "1::2::3", ":::", ":1:2:3:4:5:6:7",
			"1:2:3:4:5:6:7:", "12345::", "g::1", "1.2.3.4::", "::1.2.3", "fe80::1%1", "fe80::1%eth0", "[::1",
			"[10.0.0.1]", "10.0.0.1:443" })
	void parseWhenNotAnAddressThenRefused(String value) {
		assertThatExceptionOfType(InvalidIdentityPatternException.class)
			.isThrownBy(() -> IpRange.parse("ip:" + value, value))
			.satisfies((ex) -> assertThat(ex.getPattern()).isEqualTo("ip:" + value))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo("'" + value + "' is not an IPv4 or IPv6 address"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ' ', value = { "10.0.0.0/33 32", "10.0.0.0/-1 32", "10.0.0.0/ 32", "10.0.0.0/x 32",
			"10.0.0.0/8/8 32", "10.0.0.0/1000 32", "::/129 128", "::/1e2 128", "::ffff:10.0.0.0/104 32" })
	void parseWhenPrefixLengthOutOfBoundsThenRefused(String value, int max) {
		assertThatExceptionOfType(InvalidIdentityPatternException.class)
			.isThrownBy(() -> IpRange.parse("ip:" + value, value))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo("the prefix length must be 0 to " + max));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "0.0.0.0/0", "10.0.0.0/32", "::/0", "::/128", "10.0.0.0/008" })
	void parseWhenPrefixLengthWithinBoundsThenAccepted(String value) {
		assertThat(IpRange.parse("ip:" + value, value)).isNotNull();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "10.1.2.3", "2001:db8:0:0:0:0:0:7" })
	void matchesAnyWhenOneOfTheAddressesMatchesThenTrue(String range) {
		IpRange parsed = IpRange.parse("ip:" + range, range);

		assertThat(parsed.matchesAny(List.of("192.168.0.1", "10.1.2.3", "2001:db8:0:0:0:0:0:7"))).isTrue();
		assertThat(parsed.matchesAny(List.of("192.168.0.1"))).isFalse();
		assertThat(parsed.matchesAny(List.of())).isFalse();
	}

}
