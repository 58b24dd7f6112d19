package dev.mtls.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.it.support.Containers;
import dev.mtls.it.support.RequiresDocker;
import dev.mtls.it.support.SampleService;
import dev.mtls.it.support.SampleService.Stack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.lifecycle.Startables;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three sample services in containers, each with its own identity, calling each other in
 * a chain over mTLS: alice → A → B → C, with each hop's rules allowing only the intended
 * caller. All three on Spring MVC, then mixed: a WebFlux service calls a Spring MVC one
 * through its {@code WebClient}, which calls a WebFlux one through its
 * {@code RestClient}.
 */
@ExtendWith(RequiresDocker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass(name = "alice -> {0} -> {1} -> {2}")
@MethodSource("chains")
class ServiceChainIT {

	@Parameter(0)
	Stack stackA;

	@Parameter(1)
	Stack stackB;

	@Parameter(2)
	Stack stackC;

	Path directory;

	TestCertificateAuthority ca;

	int portA;

	int portB;

	int portC;

	GenericContainer<?> serviceA;

	GenericContainer<?> serviceB;

	GenericContainer<?> serviceC;

	static Stream<Arguments> chains() {
		return Stream.of(Arguments.of(Stack.SERVLET, Stack.SERVLET, Stack.SERVLET),
				Arguments.of(Stack.REACTIVE, Stack.SERVLET, Stack.REACTIVE));
	}

	@BeforeParameterizedClassInvocation
	void start() throws IOException {
		this.directory = Files.createTempDirectory("mtls-it-");
		this.ca = Containers.certificateAuthority(this.directory);
		this.ca.writeCaCertificate();
		for (String name : new String[] { "service-a", "service-b", "service-c" }) {
			this.ca.writePem(name,
					this.ca.client((spec) -> spec.commonName(name).ipAddress("127.0.0.1").serverAuthUsage()));
		}
		this.ca.writePem("alice", this.ca.client("alice"));
		this.portA = Containers.freePort();
		this.portB = Containers.freePort();
		this.portC = Containers.freePort();
		this.serviceA = SampleService.create(this.stackA, this.ca, this.portA, "service-a",
				"--sample.downstream=https://127.0.0.1:" + this.portB + "/call",
				"--mtls.authorization.rules[0].paths=/call", "--mtls.authorization.rules[0].allow=CN=alice");
		this.serviceB = SampleService.create(this.stackB, this.ca, this.portB, "service-b",
				"--sample.downstream=https://127.0.0.1:" + this.portC + "/hello",
				"--mtls.authorization.rules[0].paths=/call", "--mtls.authorization.rules[0].allow=CN=service-a");
		this.serviceC = SampleService.create(this.stackC, this.ca, this.portC, "service-c",
				"--mtls.authorization.rules[0].paths=/hello", "--mtls.authorization.rules[0].allow=CN=service-b");
		Startables.deepStart(this.serviceA, this.serviceB, this.serviceC).join();
	}

	@AfterParameterizedClassInvocation
	void stop() throws IOException {
		for (GenericContainer<?> service : new GenericContainer<?>[] { this.serviceA, this.serviceB, this.serviceC }) {
			if (service != null) {
				service.stop();
			}
		}
		if (this.directory != null) {
			FileSystemUtils.deleteRecursively(this.directory);
		}
	}

	private String curl(String client, int port, String path) {
		return Containers
			.run(this.ca.getDirectory(),
					"curl -sS --max-time 30 -w '\\nstatus=%{http_code}\\n' --cacert /pki/ca.crt" + " --cert /pki/"
							+ client + ".crt --key /pki/" + client + ".key https://127.0.0.1:" + port + path)
			.output();
	}

	@Test
	void chainWhenEachHopCalledByItsIntendedCallerThenAnswerTravelsBack() {
		String output = curl("alice", this.portA, "/call");

		// service-b's certificate, as every persona's, is signed by the issuing CA.
		String issuer = this.ca.getIssuingAuthority().getCertificate().getSubjectX500Principal().getName();
		assertThat(output).contains("status=200")
			.contains("\"hello\":\"service-b\"")
			.contains("\"issuer\":\"" + issuer + "\"");
	}

	@Test
	void serviceBWhenCalledByAliceInsteadOfServiceAThen403() {
		assertThat(curl("alice", this.portB, "/call")).contains("status=403");
	}

	@Test
	void serviceCWhenCalledByServiceAInsteadOfServiceBThen403() {
		assertThat(curl("service-a", this.portC, "/hello")).contains("status=403");
	}

}
