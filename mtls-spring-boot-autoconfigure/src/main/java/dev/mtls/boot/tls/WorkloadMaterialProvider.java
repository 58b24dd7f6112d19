package dev.mtls.boot.tls;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A workload identity provider, such as the SPIFFE Workload API, that hands over the
 * service's TLS material in memory and rotates it: {@link #get()} returns the current
 * material, and the listener set with {@link #setUpdateListener(BooleanSupplier)} runs
 * after each rotation and reloads the material as a file change does.
 *
 * @since 0.1.0
 */
public interface WorkloadMaterialProvider extends Supplier<WorkloadMaterial> {

	/**
	 * Set what to run after each rotation of the material, replacing any listener set
	 * before: the reload of the material, which answers whether the new material is in
	 * use (if not, the provider goes back to the material in use).
	 * @param listener the listener
	 */
	void setUpdateListener(BooleanSupplier listener);

}
