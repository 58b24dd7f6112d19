package dev.mtls.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.mtls.boot.dev.DevCertificates;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.monitor.MtlsListeners;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.TlsMaterialSource;
import dev.mtls.boot.tls.WorkloadMaterial;
import dev.mtls.boot.tls.WorkloadMaterialProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of the mTLS SSL bundle from {@code mtls.*} properties.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = SslAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "mtls.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MtlsProperties.class)
public final class MtlsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MtlsListeners mtlsListeners(ObjectProvider<MtlsListener> listeners) {
		return new MtlsListeners(listeners);
	}

	@Bean
	@ConditionalOnMissingBean
	MtlsTlsMaterial mtlsTlsMaterial(MtlsProperties properties, ResourceLoader resourceLoader, Environment environment,
			ObjectProvider<SslBundles> sslBundles, MtlsListeners listeners,
			ObjectProvider<WorkloadMaterialProvider> workload) {
		BouncyCastleRequirement.check(properties, resourceLoader.getClassLoader());
		WorkloadMaterialProvider provider = properties.getSpiffe().isEnabled() ? workload.getIfAvailable() : null;
		TlsMaterialSource source = TlsMaterialSourceMapper.map(properties, environment, provider);
		// The one place the JVM-wide revocation properties are set: the JDK reads them
		// once.
		source.revocation().applySystemProperties();
		WorkloadMaterial beforeLoad = (provider != null) ? currentOrNull(provider) : null;
		MtlsTlsMaterial material = new MtlsTlsMaterial(source, resourceLoader, sslBundles, listeners.dispatcher());
		if (provider != null) {
			provider.setUpdateListener(material::reload);
			// An update (a new SVID or new trust bundles) between the first load and the
			// listener would be missed.
			if (beforeLoad == null || !provider.get().equals(beforeLoad)) {
				material.reload();
			}
		}
		return material;
	}

	private static @Nullable WorkloadMaterial currentOrNull(WorkloadMaterialProvider provider) {
		try {
			return provider.get();
		}
		catch (IllegalStateException ex) {
			// No SVID yet: the material's own load reports it.
			return null;
		}
	}

	@Bean
	@ConditionalOnMissingBean
	MtlsSslBundleRegistrar mtlsSslBundleRegistrar(MtlsTlsMaterial material, MtlsProperties properties) {
		return new MtlsSslBundleRegistrar(material, properties);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "mtls.reload.enabled", matchIfMissing = true)
	MtlsFileWatcher mtlsFileWatcher(MtlsTlsMaterial material, ResourceLoader resourceLoader, MtlsProperties properties,
			Environment environment) {
		Duration quietPeriod = properties.getReload().getQuietPeriod();
		if (DevMode.isActive(properties)) {
			// Another user must not have gained a way into the directory since start-up.
			Path directory = DevMode.directory(properties.getDev(), environment);
			return new MtlsFileWatcher(MtlsFileWatcher.watchedPaths(material.getSource(), resourceLoader), quietPeriod,
					() -> {
						DevCertificates.checkDirectory(directory);
						material.reload();
					});
		}
		return new MtlsFileWatcher(material, resourceLoader, quietPeriod);
	}

	// Resolves the bundle once all singletons exist, so that a bad mtls.bundle fails
	// start-up rather than the first connection.
	@Bean
	@ConditionalOnMissingBean(name = "mtlsSslBundleVerifier")
	static SmartInitializingSingleton mtlsSslBundleVerifier(ObjectProvider<SslBundles> sslBundles) {
		return () -> sslBundles.getObject().getBundle(MtlsProperties.DEFAULT_BUNDLE_NAME).getStores();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebServerInitializedEvent.class)
	@ConditionalOnWebApplication
	@ConditionalOnBooleanProperty("mtls.dev.enabled")
	static class DevModeConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DevModeCurlCommandLogger devModeCurlCommandLogger(MtlsProperties properties, Environment environment) {
			List<String> clients = DevMode.isActive(properties) ? properties.getDev().getClients() : List.of();
			return new DevModeCurlCommandLogger(DevMode.directory(properties.getDev(), environment), clients);
		}

	}

}
