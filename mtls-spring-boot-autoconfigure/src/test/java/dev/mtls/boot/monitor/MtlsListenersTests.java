package dev.mtls.boot.monitor;

import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsListeners}.
 */
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
		MtlsListener dispatcher = new MtlsListeners(beanFactory.getBeanProvider(MtlsListener.class)).dispatcher();

		dispatcher.authenticationFailed(Reason.NAME_MISMATCH);
		dispatcher.authenticationFailed(AuthenticationFailure.NO_CERTIFICATE);

		assertThat(told).containsExactly("name-mismatch", "no-certificate");
	}

}
