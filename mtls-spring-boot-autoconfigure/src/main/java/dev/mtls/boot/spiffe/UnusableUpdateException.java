package dev.mtls.boot.spiffe;

/**
 * Thrown when an update from the Workload API holds no usable SVID or bundle.
 */
class UnusableUpdateException extends Exception {

	UnusableUpdateException(String message) {
		super(message);
	}

	UnusableUpdateException(String message, Throwable cause) {
		super(message, cause);
	}

}
