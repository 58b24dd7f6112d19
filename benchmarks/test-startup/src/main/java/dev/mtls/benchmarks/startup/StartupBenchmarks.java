package dev.mtls.benchmarks.startup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

import org.openjdk.jmh.Main;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import org.springframework.util.FileSystemUtils;

/**
 * The jar's main class: JMH's command line, with the test CA's PEM files for
 * {@code material=files} written beforehand in this JVM (which no benchmark runs in) and
 * {@link StartupCpuProfiler} on. The system property {@code rounds} (default 1) runs the
 * whole command that many times, so that the two materials alternate (with {@code -f 1},
 * fork by fork) and drift in the machine's speed hits both alike. After the last round:
 * the median and range of each start-up benchmark's elapsed and CPU times over every
 * measured start, and what the annotation adds: the difference of the medians and, with
 * several rounds, the median and range of the differences within each round.
 */
public final class StartupBenchmarks {

	private static final List<Metric> METRICS = List.of(new Metric("elapsed", IterationResult::getPrimaryResult),
			new Metric("CPU, thread", secondary(StartupCpuProfiler.THREAD)),
			new Metric("CPU, process", secondary(StartupCpuProfiler.PROCESS)));

	private static final String ANNOTATION = "annotation";

	private static final String FILES = "files";

	private StartupBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		CommandLineOptions command = new CommandLineOptions(args);
		if (command.shouldHelp() || command.shouldList() || command.shouldListWithParams()
				|| command.shouldListProfilers() || command.shouldListResultFormats()) {
			Main.main(args);
			return;
		}
		int rounds = Integer.getInteger("rounds", 1);
		Path directory = Files.createTempDirectory("mtls-startup-benchmark").toRealPath();
		try {
			TestContextStartupBenchmark.writePemFiles(directory);
			List<String> jvmArgsAppend = new ArrayList<>(command.getJvmArgsAppend().orElse(List.of()));
			jvmArgsAppend.add("-D" + TestContextStartupBenchmark.PEM_DIRECTORY_PROPERTY + "=" + directory);
			Options options = new OptionsBuilder().parent(command)
				.jvmArgsAppend(jvmArgsAppend.toArray(String[]::new))
				.addProfiler(StartupCpuProfiler.class)
				.build();
			List<Collection<RunResult>> results = new ArrayList<>();
			for (int round = 1; round <= rounds; round++) {
				if (rounds > 1) {
					System.out.printf("%n# Round %d of %d%n", round, rounds);
				}
				results.add(new Runner(options).run());
			}
			summarize(results);
		}
		finally {
			FileSystemUtils.deleteRecursively(directory);
		}
	}

	private static void summarize(List<Collection<RunResult>> rounds) {
		// "mode material" -> the measured starts of each round
		Map<String, List<List<IterationResult>>> starts = new TreeMap<>();
		for (int round = 0; round < rounds.size(); round++) {
			for (RunResult result : rounds.get(round)) {
				String benchmark = result.getParams().getBenchmark();
				if (!benchmark.startsWith(TestContextStartupBenchmark.class.getName())) {
					continue;
				}
				String name = benchmark.replaceFirst(".*\\.", "") + " " + result.getParams().getParam("material");
				List<List<IterationResult>> byRound = starts.computeIfAbsent(name, (key) -> new ArrayList<>());
				while (byRound.size() <= round) {
					byRound.add(new ArrayList<>());
				}
				for (BenchmarkResult fork : result.getBenchmarkResults()) {
					byRound.get(round).addAll(fork.getIterationResults());
				}
			}
		}
		if (starts.isEmpty()) {
			return;
		}
		System.out.printf("%nTest context start-up, ms, median [min-max] over every measured start:%n");
		System.out.printf("%-20s %4s  %-22s %-22s %-22s%n", "benchmark material", "n", METRICS.get(0).name(),
				METRICS.get(1).name(), METRICS.get(2).name());
		starts.forEach((name, byRound) -> {
			List<IterationResult> all = byRound.stream().flatMap(List::stream).toList();
			System.out.printf("%-20s %4d  %-22s %-22s %-22s%n", name, all.size(), describe(METRICS.get(0).values(all)),
					describe(METRICS.get(1).values(all)), describe(METRICS.get(2).values(all)));
		});
		for (String mode : List.of("cold", "warm")) {
			List<List<IterationResult>> annotation = starts.get(mode + " " + ANNOTATION);
			List<List<IterationResult>> files = starts.get(mode + " " + FILES);
			if (annotation == null || files == null) {
				continue;
			}
			System.out.printf("%n%s, what the annotation adds (annotation - files), ms:%n", mode);
			for (Metric metric : METRICS) {
				double ofMedians = median(metric.values(annotation.stream().flatMap(List::stream).toList()))
						- median(metric.values(files.stream().flatMap(List::stream).toList()));
				List<Double> withinRounds = new ArrayList<>();
				for (int round = 0; round < Math.min(annotation.size(), files.size()); round++) {
					withinRounds
						.add(median(metric.values(annotation.get(round))) - median(metric.values(files.get(round))));
				}
				System.out.printf(Locale.ROOT, "  %-14s difference of the medians %.0f%s%n", metric.name(), ofMedians,
						(withinRounds.size() > 1) ? "; within rounds " + describe(sorted(withinRounds)) : "");
			}
		}
	}

	private static Function<IterationResult, Result<?>> secondary(String name) {
		return (iteration) -> iteration.getSecondaryResults().get(name);
	}

	private static List<Double> sorted(List<Double> values) {
		return values.stream().sorted().toList();
	}

	private static double median(List<Double> sorted) {
		int size = sorted.size();
		if (size == 0) {
			return Double.NaN;
		}
		return (size % 2 == 1) ? sorted.get(size / 2) : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
	}

	private static String describe(List<Double> sorted) {
		if (sorted.isEmpty()) {
			return "-";
		}
		return String.format(Locale.ROOT, "%.0f [%.0f to %.0f]", median(sorted), sorted.get(0),
				sorted.get(sorted.size() - 1));
	}

	/**
	 * One figure of a start.
	 *
	 * @param name the figure's name
	 * @param result the figure in an iteration's results
	 */
	private record Metric(String name, Function<IterationResult, Result<?>> result) {

		List<Double> values(List<IterationResult> iterations) {
			return sorted(iterations.stream().map(this.result).filter(Objects::nonNull).map(Result::getScore).toList());
		}

	}

}
