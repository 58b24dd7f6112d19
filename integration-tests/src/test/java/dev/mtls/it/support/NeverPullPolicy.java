package dev.mtls.it.support;

import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Never pulls: the test image is built locally from Debian packages.
 */
public class NeverPullPolicy implements ImagePullPolicy {

	@Override
	public boolean shouldPull(DockerImageName imageName) {
		return false;
	}

}
