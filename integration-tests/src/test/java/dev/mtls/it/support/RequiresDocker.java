package dev.mtls.it.support;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs integration tests only where a Docker daemon and the test image are present; skips
 * them with the reason otherwise, except in CI ({@code CI} set), where their absence is
 * an error.
 */
public class RequiresDocker implements ExecutionCondition {

	private static volatile ConditionEvaluationResult result;

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (result == null) {
			result = evaluate();
			if (result.isDisabled() && System.getenv("CI") == null) {
				System.err.println("Integration tests skipped: " + result.getReason().orElse(""));
			}
		}
		if (!result.isDisabled()) {
			return result;
		}
		String reason = result.getReason().orElse("");
		if (System.getenv("CI") != null) {
			throw new IllegalStateException("CI must run the integration tests, but " + reason);
		}
		return result;
	}

	private static ConditionEvaluationResult evaluate() {
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			return ConditionEvaluationResult.disabled("no Docker daemon answers: run "
					+ "'sudo integration-tests/docker/start-docker.sh' to run the integration tests");
		}
		try {
			DockerClientFactory.instance().client().inspectImageCmd(Containers.IMAGE).exec();
			return ConditionEvaluationResult.enabled("Docker and " + Containers.IMAGE + " are present");
		}
		catch (NotFoundException ex) {
			return ConditionEvaluationResult.disabled("the image " + Containers.IMAGE
					+ " is missing: run 'sudo integration-tests/docker/build-image.sh'");
		}
	}

}
