package dev.mtls.boot.autoconfigure;

import dev.mtls.boot.identity.CertificateIdentity;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path of the dev-mode curl command, from the application's Spring MVC or WebFlux
 * mappings.
 */
class ExampleRequestPathTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class));

	@Test
	void findWhenGetHandlersThenLiteralPathTakingIdentity() {
		this.contextRunner.withUserConfiguration(SampleLikeController.class)
			.run((context) -> assertThat(ExampleRequestPath.find(context, getClass().getClassLoader()))
				.isEqualTo("/hello"));
	}

	@Test
	void findWhenNoHandlerTakesIdentityThenShortestLiteralGetPath() {
		this.contextRunner.withUserConfiguration(PlainController.class, OrderController.class)
			.run((context) -> assertThat(ExampleRequestPath.find(context, getClass().getClassLoader()))
				.isEqualTo("/status"));
	}

	@Test
	void findWhenContextAndServletPathThenPrefixed() {
		this.contextRunner.withUserConfiguration(SampleLikeController.class)
			.withPropertyValues("server.servlet.context-path=/shop/", "spring.mvc.servlet.path=/api")
			.run((context) -> assertThat(ExampleRequestPath.find(context, getClass().getClassLoader()))
				.isEqualTo("/shop/api/hello"));
	}

	@Test
	void findWhenOnlyVariablePostAndErrorPathsThenRoot() {
		this.contextRunner.withUserConfiguration(NothingToGetController.class, OrderController.class)
			.run((context) -> assertThat(ExampleRequestPath.find(context, getClass().getClassLoader())).isEqualTo("/"));
	}

	@Test
	void findWhenWebFluxHandlersThenLiteralPathTakingIdentityUnderBasePath() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
			.withUserConfiguration(SampleLikeController.class)
			.withPropertyValues("spring.webflux.base-path=/shop/")
			.run((context) -> assertThat(ExampleRequestPath.find(context, getClass().getClassLoader()))
				.isEqualTo("/shop/hello"));
	}

	@Test
	void findWhenSpringMvcAbsentThenRootWithoutLoadingIt() {
		this.contextRunner.withUserConfiguration(SampleLikeController.class)
			.run((context) -> assertThat(
					ExampleRequestPath.find(context, new FilteredClassLoader(RequestMappingHandlerMapping.class)))
				.isEqualTo("/"));
	}

	@RestController
	static class SampleLikeController {

		@GetMapping("/call")
		String call() {
			return "called";
		}

		@GetMapping("/hello")
		String hello(CertificateIdentity caller) {
			return "hello";
		}

		@GetMapping("/admin/status")
		String adminStatus(CertificateIdentity caller) {
			return "ok";
		}

		@PostMapping("/a")
		String post(CertificateIdentity caller) {
			return "posted";
		}

	}

	@RestController
	static class OrderController {

		@GetMapping("/orders/{id}")
		String order(@PathVariable String id) {
			return id;
		}

	}

	@RestController
	static class PlainController {

		@GetMapping("/status")
		String status() {
			return "ok";
		}

		@GetMapping("/reports/**")
		String reports() {
			return "reports";
		}

		@GetMapping("/status/details")
		String details() {
			return "details";
		}

	}

	@RestController
	static class NothingToGetController {

		@PostMapping("/orders")
		String place() {
			return "placed";
		}

		@GetMapping("/error")
		String error() {
			return "error";
		}

	}

}
