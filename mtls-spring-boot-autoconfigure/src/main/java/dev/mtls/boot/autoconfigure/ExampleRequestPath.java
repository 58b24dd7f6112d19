package dev.mtls.boot.autoconfigure;

import java.util.Arrays;
import java.util.Comparator;
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
import org.springframework.web.util.pattern.PathPattern;

/**
 * Finds a path of the application that answers a plain {@code GET}, for the dev-mode curl
 * command: a Spring MVC or WebFlux handler without path variables or wildcards,
 * preferring one that takes the caller's {@link CertificateIdentity}, then the shortest;
 * {@code /} when there is none or neither stack is present.
 */
final class ExampleRequestPath {

	private static final String MVC_MAPPING = "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping";

	private static final String WEBFLUX_MAPPING = "org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping";

	private static final String MAPPING_BEAN = "requestMappingHandlerMapping";

	private static final Comparator<Candidate> PREFERENCE = Comparator
		.comparing((Candidate candidate) -> !candidate.identity())
		.thenComparingLong((candidate) -> candidate.path().chars().filter((c) -> c == '/').count())
		.thenComparingInt((candidate) -> candidate.path().length())
		.thenComparing(Candidate::path);

	private ExampleRequestPath() {
	}

	/**
	 * Return the path to call, with the servlet context path and the dispatcher servlet's
	 * path (Spring MVC) or the WebFlux base path in front.
	 * @param context the application context of the main web server
	 * @param classLoader the class loader to look for Spring MVC and WebFlux in
	 * @return the path, starting with {@code /}
	 */
	static String find(ApplicationContext context, ClassLoader classLoader) {
		if (!context.containsBean(MAPPING_BEAN)) {
			return "/";
		}
		Environment environment = context.getEnvironment();
		String errorPath = environment.getProperty("server.error.path", "/error");
		Object mapping = context.getBean(MAPPING_BEAN);
		if (ClassUtils.isPresent(MVC_MAPPING, classLoader)) {
			Optional<String> path = MvcPaths.find(mapping, errorPath);
			if (path.isPresent()) {
				return servletPrefix(environment) + path.get();
			}
		}
		if (ClassUtils.isPresent(WEBFLUX_MAPPING, classLoader)) {
			Optional<String> path = WebFluxPaths.find(mapping, errorPath);
			if (path.isPresent()) {
				return trimTrailingSlash(environment.getProperty("spring.webflux.base-path", "")) + path.get();
			}
		}
		return "/";
	}

	private static String servletPrefix(Environment environment) {
		String contextPath = environment.getProperty("server.servlet.context-path", "");
		String servletPath = environment.getProperty("spring.mvc.servlet.path", "");
		return trimTrailingSlash(contextPath) + trimTrailingSlash(servletPath);
	}

	private static String trimTrailingSlash(String path) {
		String trimmed = StringUtils.trimTrailingCharacter(path.trim(), '/');
		return (trimmed.isEmpty() || trimmed.startsWith("/")) ? trimmed : "/" + trimmed;
	}

	private static boolean takesIdentity(HandlerMethod handler) {
		return Arrays.stream(handler.getMethodParameters())
			.anyMatch((parameter) -> CertificateIdentity.class.isAssignableFrom(parameter.getParameterType()));
	}

	private static boolean isGet(Set<RequestMethod> methods) {
		return methods.isEmpty() || methods.contains(RequestMethod.GET);
	}

	private static boolean isLiteral(String path, String errorPath) {
		return path.startsWith("/") && !path.equals(errorPath)
				&& path.chars().noneMatch((c) -> c == '{' || c == '*' || c == '?');
	}

	private static Stream<Candidate> candidates(Stream<String> paths, HandlerMethod handler, String errorPath) {
		boolean identity = takesIdentity(handler);
		return paths.filter((path) -> isLiteral(path, errorPath)).map((path) -> new Candidate(path, identity));
	}

	/**
	 * Kept apart so that Spring MVC's classes load only once known to be present.
	 */
	private static final class MvcPaths {

		@SuppressWarnings("checkstyle:inlineFullyQualifiedName")
		static Optional<String> find(Object bean, String errorPath) {
			if (!(bean instanceof org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping mapping)) {
				return Optional.empty();
			}
			return mapping.getHandlerMethods()
				.entrySet()
				.stream()
				.filter((entry) -> isGet(entry.getKey().getMethodsCondition().getMethods()))
				.flatMap((entry) -> candidates(entry.getKey().getPatternValues().stream(), entry.getValue(), errorPath))
				.min(PREFERENCE)
				.map(Candidate::path);
		}

	}

	/**
	 * Kept apart so that WebFlux's classes load only once known to be present.
	 */
	private static final class WebFluxPaths {

		@SuppressWarnings("checkstyle:inlineFullyQualifiedName")
		static Optional<String> find(Object bean, String errorPath) {
			if (!(bean instanceof org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping mapping)) {
				return Optional.empty();
			}
			return mapping.getHandlerMethods()
				.entrySet()
				.stream()
				.filter((entry) -> isGet(entry.getKey().getMethodsCondition().getMethods()))
				.flatMap((entry) -> candidates(
						entry.getKey().getPatternsCondition().getPatterns().stream().map(PathPattern::getPatternString),
						entry.getValue(), errorPath))
				.min(PREFERENCE)
				.map(Candidate::path);
		}

	}

	private record Candidate(String path, boolean identity) {
	}

}
