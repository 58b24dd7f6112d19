package dev.mtls.boot.tls;

import java.util.function.Supplier;

/**
 * A workload identity provider, such as the SPIFFE Workload API, that hands over the
 * service's TLS material in memory and rotates it: {@link #get()} returns the current
 * material, and the listener given to {@link #onUpdate(Runnable)} runs after each
 * rotation, which reloads the material as a file change does.
 *
 * @since 0.1.0
 */
public interface WorkloadMaterialProvider extends Supplier<WorkloadMaterial> {

	/**
	 * Set what to run after each rotation of the material.
	 * @param listener the listener
	 */
	void onUpdate(Runnable listener);

}
