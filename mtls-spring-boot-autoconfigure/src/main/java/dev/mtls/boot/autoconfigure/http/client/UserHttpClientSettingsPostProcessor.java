package dev.mtls.boot.autoconfigure.http.client;

import java.util.function.Supplier;

import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.ssl.SslBundle;

/**
 * Keeps the mTLS identity on a user's own {@link HttpClientSettings} bean: settings
 * without an SSL bundle get the mtls bundle on top of the user's other settings; settings
 * that name a bundle of their own keep it, with a warning naming the bean, since clients
 * built from them do not present the identity. Timeouts the bean leaves unset get the
 * starter's defaults, as with Boot's properties.
 */
class UserHttpClientSettingsPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(UserHttpClientSettingsPostProcessor.class);

	private final Supplier<SslBundle> mtlsBundle;

	private final Supplier<SslBundle> registeredMtlsBundle;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	/**
	 * Create a new instance.
	 * @param mtlsBundle the bundle outbound clients use (without host name verification
	 * when it is off)
	 * @param registeredMtlsBundle the mtls bundle as registered
	 */
	UserHttpClientSettingsPostProcessor(Supplier<SslBundle> mtlsBundle, Supplier<SslBundle> registeredMtlsBundle) {
		this.mtlsBundle = mtlsBundle;
		this.registeredMtlsBundle = registeredMtlsBundle;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (beanFactory instanceof ConfigurableListableBeanFactory listable) ? listable : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (!(bean instanceof HttpClientSettings settings) || isStarters(beanName)) {
			return bean;
		}
		HttpClientSettings bounded = MtlsClientAutoConfiguration.withDefaultTimeouts(settings);
		SslBundle bundle = bounded.sslBundle();
		if (bundle == null) {
			return bounded.withSslBundle(this.mtlsBundle.get());
		}
		if (!MtlsTlsMaterial.skipsHostNameVerification(bundle) && bundle != this.registeredMtlsBundle.get()) {
			logger.warn(("The HttpClientSettings bean '%s' names an SSL bundle of its own: outbound clients built from "
					+ "it use that bundle and do not present the mTLS identity")
				.formatted(beanName));
		}
		return bounded;
	}

	/**
	 * Whether the bean is the starter's own settings, which already chose their bundle.
	 * @param beanName the name of the settings bean
	 * @return {@code true} if the starter defined the bean
	 */
	private boolean isStarters(String beanName) {
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		return beanFactory != null && beanFactory.containsBeanDefinition(beanName)
				&& MtlsClientAutoConfiguration.class.getName()
					.equals(beanFactory.getBeanDefinition(beanName).getFactoryBeanName());
	}

}
