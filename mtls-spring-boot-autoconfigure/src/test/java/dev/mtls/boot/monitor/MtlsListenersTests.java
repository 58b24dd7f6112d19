package dev.mtls.boot.monitor;

import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsListeners}.
 */
@ExtendWith(OutputCaptureExtension.class)
class MtlsListenersTests {

	@Test
	void dispatcherWhenEventsThenEveryListenerToldTheReasonAndAFailingOneIgnored() {
		List<String> told = new ArrayList<>();
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("failing", new MtlsListener() {

			@Override
			public void authenticationFailed(Reason reason) {
				throw new IllegalStateException("failing listener");
			}

		});
		beanFactory.registerSingleton("recording", new MtlsListener() {

			@Override
			public void authenticationFailed(Reason reason) {
				told.add(reason.tag());
			}

			@Override
			public void authenticationFailed(AuthenticationFailure failure) {
				told.add(failure.tag());
			}

		});
		MtlsListeners listeners = new MtlsListeners(beanFactory.getBeanProvider(MtlsListener.class));
		listeners.afterSingletonsInstantiated();
		MtlsListener dispatcher = listeners.dispatcher();

		dispatcher.authenticationFailed(Reason.NAME_MISMATCH);
		dispatcher.authenticationFailed(AuthenticationFailure.NO_CERTIFICATE);

		assertThat(told).containsExactly("name-mismatch", "no-certificate");
	}

	@Test
	void dispatcherWhenEventBeforeSingletonsCreatedThenNoListenerLookedUp() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		List<String> told = new ArrayList<>();
		beanFactory.registerSingleton("recording", new MtlsListener() {

			@Override
			public void reloaded(boolean success) {
				told.add("reloaded " + success);
			}

		});
		MtlsListeners listeners = new MtlsListeners(beanFactory.getBeanProvider(MtlsListener.class));

		listeners.dispatcher().reloaded(true);
		listeners.afterSingletonsInstantiated();
		listeners.dispatcher().reloaded(false);

		assertThat(told).containsExactly("reloaded false");
	}

	@Test
	void dispatcherWhenListenerFailsOnEveryEventThenOneEscapedWarning(CapturedOutput output) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("failing", new MtlsListener() {

			@Override
			public void authenticationFailed(Reason reason) {
				throw new IllegalStateException("alert service down for CN=evil\n2026-01-01 INFO forged");
			}

		});
		MtlsListeners listeners = new MtlsListeners(beanFactory.getBeanProvider(MtlsListener.class));
		listeners.afterSingletonsInstantiated();

		for (int i = 0; i < 100; i++) {
			listeners.dispatcher().authenticationFailed(Reason.UNTRUSTED);
		}

		assertThat(output.toString().lines().filter((line) -> line.contains("failed: java.lang.IllegalStateException")))
			.singleElement()
			.asString()
			.contains("CN=evil\\n2026-01-01 INFO forged")
			.contains(" at dev.mtls.boot.monitor.MtlsListenersTests");
		assertThat(output.toString().lines()).noneMatch((line) -> line.startsWith("2026-01-01 INFO forged"));
	}

}
