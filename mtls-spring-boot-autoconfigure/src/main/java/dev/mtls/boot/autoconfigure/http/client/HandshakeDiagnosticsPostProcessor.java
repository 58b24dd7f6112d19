package dev.mtls.boot.autoconfigure.http.client;

import dev.mtls.boot.http.client.HandshakeDiagnosticsRequestFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;

/**
 * Wraps each factory that the {@link ClientHttpRequestFactoryBuilder} bean builds (those
 * of {@code RestClient.Builder}, {@code RestTemplateBuilder}, HTTP service clients and
 * the {@code ClientHttpRequestFactory} bean) in a
 * {@link HandshakeDiagnosticsRequestFactory}, so a failed TLS handshake is explained. A
 * factory wrapper, not an interceptor: an interceptor makes Spring buffer every request
 * body. The bean is wrapped once it is built, after every
 * {@code ClientHttpRequestFactoryBuilderCustomizer} saw it as what it is. Only a bean
 * declared as the interface is wrapped: one declared as a concrete builder may be
 * injected as such.
 */
class HandshakeDiagnosticsPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (beanFactory instanceof ConfigurableListableBeanFactory listable) ? listable : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof ClientHttpRequestFactoryBuilder<?> builder && !(bean instanceof DiagnosingBuilder)
				&& isDeclaredAsInterface(beanName)) {
			return new DiagnosingBuilder(builder);
		}
		return bean;
	}

	private boolean isDeclaredAsInterface(String beanName) {
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		return beanFactory != null && beanFactory.containsBeanDefinition(beanName)
				&& ClientHttpRequestFactoryBuilder.class
					.equals(beanFactory.getMergedBeanDefinition(beanName).getResolvableType().resolve());
	}

	/**
	 * A builder whose factories explain TLS handshake failures.
	 */
	private static final class DiagnosingBuilder
			implements ClientHttpRequestFactoryBuilder<HandshakeDiagnosticsRequestFactory> {

		private final ClientHttpRequestFactoryBuilder<?> delegate;

		DiagnosingBuilder(ClientHttpRequestFactoryBuilder<?> delegate) {
			this.delegate = delegate;
		}

		@Override
		public HandshakeDiagnosticsRequestFactory build(@Nullable HttpClientSettings settings) {
			return new HandshakeDiagnosticsRequestFactory(this.delegate.build(settings));
		}

	}

}
