package dev.mtls.it;

import java.nio.file.Path;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.it.support.Containers;
import dev.mtls.it.support.RequiresDocker;
import dev.mtls.it.support.SampleService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.lifecycle.Startables;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three sample services in containers, each with its own identity, calling each other in
 * a chain over mTLS: alice → A → B → C, with each hop's rules allowing only the intended
 * caller.
 */
@ExtendWith(RequiresDocker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceChainIT {

	TestCertificateAuthority ca;

	int portA;

	int portB;

	int portC;

	GenericContainer<?> serviceA;

	GenericContainer<?> serviceB;

	GenericContainer<?> serviceC;

	@BeforeAll
	void start(@TempDir Path directory) {
		this.ca = Containers.certificateAuthority(directory);
		this.ca.writeCaCertificate();
		for (String name : new String[] { "service-a", "service-b", "service-c" }) {
			this.ca.writePem(name,
					this.ca.client((spec) -> spec.commonName(name).ipAddress("127.0.0.1").serverAuthUsage()));
		}
		this.ca.writePem("alice", this.ca.client("alice"));
		this.portA = Containers.freePort();
		this.portB = Containers.freePort();
		this.portC = Containers.freePort();
		this.serviceA = SampleService.create(this.ca, this.portA, "service-a",
				"--sample.downstream=https://127.0.0.1:" + this.portB + "/call",
				"--mtls.authorization.rules[0].paths=/call", "--mtls.authorization.rules[0].allow=CN=alice");
		this.serviceB = SampleService.create(this.ca, this.portB, "service-b",
				"--sample.downstream=https://127.0.0.1:" + this.portC + "/hello",
				"--mtls.authorization.rules[0].paths=/call", "--mtls.authorization.rules[0].allow=CN=service-a");
		this.serviceC = SampleService.create(this.ca, this.portC, "service-c",
				"--mtls.authorization.rules[0].paths=/hello", "--mtls.authorization.rules[0].allow=CN=service-b");
		Startables.deepStart(this.serviceA, this.serviceB, this.serviceC).join();
	}

	@AfterAll
	void stop() {
		for (GenericContainer<?> service : new GenericContainer<?>[] { this.serviceA, this.serviceB, this.serviceC }) {
			if (service != null) {
				service.stop();
			}
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
