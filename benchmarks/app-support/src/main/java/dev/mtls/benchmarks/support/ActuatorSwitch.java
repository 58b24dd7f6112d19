package dev.mtls.benchmarks.support;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out Actuator's auto-configurations (endpoints, health, Micrometer metrics and
 * observations, and the starter's Actuator support) unless {@code bench.actuator=true},
 * so that one benchmark jar runs with and without Actuator. The auto-configurations that
 * instrument the web server and Spring Security back off by themselves without a meter or
 * observation registry.
 */
public class ActuatorSwitch implements AutoConfigurationImportFilter, EnvironmentAware {

	/**
	 * The property that switches Actuator on.
	 */
	public static final String PROPERTY = "bench.actuator";

	private static final String[] PREFIXES = { "org.springframework.boot.actuate.", "org.springframework.boot.health.",
			"org.springframework.boot.micrometer.", "dev.mtls.boot.autoconfigure.actuate." };

	private boolean actuator;

	@Override
	public void setEnvironment(Environment environment) {
		this.actuator = environment.getProperty(PROPERTY, Boolean.class, false);
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata autoConfigurationMetadata) {
		boolean[] match = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < autoConfigurationClasses.length; i++) {
			String name = autoConfigurationClasses[i];
			match[i] = this.actuator || name == null || !isActuator(name);
		}
		return match;
	}

	static boolean isActuator(String name) {
		if (name.contains(".actuate.")) {
			return true;
		}
		for (String prefix : PREFIXES) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

}
