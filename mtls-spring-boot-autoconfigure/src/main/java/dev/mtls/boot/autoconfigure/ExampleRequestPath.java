package dev.mtls.boot.autoconfigure;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.mtls.boot.identity.CertificateIdentity;

import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Finds a path of the application that answers a plain {@code GET}, for the dev-mode curl
 * command: a Spring MVC handler without path variables or wildcards, preferring one that
 * takes the caller's {@link CertificateIdentity}, then the shortest; {@code /} when there
 * is none or Spring MVC is absent.
 */
final class ExampleRequestPath {

	private static final String MVC_MAPPING = "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping";

	private static final String MVC_MAPPING_BEAN = "requestMappingHandlerMapping";

	private ExampleRequestPath() {
	}

	/**
	 * Return the path to call, with the servlet context path and the dispatcher servlet's
	 * path in front.
	 * @param context the application context of the main web server
	 * @param classLoader the class loader to look for Spring MVC in
	 * @return the path, starting with {@code /}
	 */
	static String find(ApplicationContext context, ClassLoader classLoader) {
		if (!ClassUtils.isPresent(MVC_MAPPING, classLoader) || !context.containsBean(MVC_MAPPING_BEAN)) {
			return "/";
		}
		Environment environment = context.getEnvironment();
		String errorPath = environment.getProperty("server.error.path", "/error");
		return MvcPaths.find(context.getBean(MVC_MAPPING_BEAN), errorPath)
			.map((path) -> prefix(environment) + path)
			.orElse("/");
	}

	private static String prefix(Environment environment) {
		String contextPath = environment.getProperty("server.servlet.context-path", "");
		String servletPath = environment.getProperty("spring.mvc.servlet.path", "");
		return trimTrailingSlash(contextPath) + trimTrailingSlash(servletPath);
	}

	private static String trimTrailingSlash(String path) {
		String trimmed = StringUtils.trimTrailingCharacter(path.trim(), '/');
		return (trimmed.isEmpty() || trimmed.startsWith("/")) ? trimmed : "/" + trimmed;
	}

	/**
	 * Kept apart so that Spring MVC's classes load only once known to be present.
	 */
	private static final class MvcPaths {

		static Optional<String> find(Object bean, String errorPath) {
			if (!(bean instanceof RequestMappingHandlerMapping mapping)) {
				return Optional.empty();
			}
			Comparator<Candidate> preference = Comparator.comparing((Candidate candidate) -> !candidate.identity())
				.thenComparingLong((candidate) -> candidate.path().chars().filter((c) -> c == '/').count())
				.thenComparingInt((candidate) -> candidate.path().length())
				.thenComparing(Candidate::path);
			return mapping.getHandlerMethods()
				.entrySet()
				.stream()
				.filter((entry) -> isGet(entry.getKey()))
				.flatMap((entry) -> candidates(entry, errorPath))
				.min(preference)
				.map(Candidate::path);
		}

		private static boolean isGet(RequestMappingInfo info) {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			return methods.isEmpty() || methods.contains(RequestMethod.GET);
		}

		private static Stream<Candidate> candidates(Map.Entry<RequestMappingInfo, HandlerMethod> entry,
				String errorPath) {
			boolean identity = Arrays.stream(entry.getValue().getMethodParameters())
				.anyMatch((parameter) -> CertificateIdentity.class.isAssignableFrom(parameter.getParameterType()));
			return entry.getKey()
				.getPatternValues()
				.stream()
				.filter((path) -> isLiteral(path) && !path.equals(errorPath))
				.map((path) -> new Candidate(path, identity));
		}

		private static boolean isLiteral(String path) {
			return path.startsWith("/") && path.chars().noneMatch((c) -> c == '{' || c == '*' || c == '?');
		}

	}

	private record Candidate(String path, boolean identity) {
	}

}
