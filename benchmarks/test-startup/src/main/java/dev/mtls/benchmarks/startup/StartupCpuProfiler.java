package dev.mtls.benchmarks.startup;

import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds the CPU time of a context start, which {@link TestContextStartupBenchmark}
 * records, to each iteration's results: {@code cpu.thread}, the starting thread's, and
 * {@code cpu.process}, the whole JVM's (JIT compilers and GC included, at the operating
 * system's clock tick). Load from other processes inflates these less than the elapsed
 * time, the score.
 */
public class StartupCpuProfiler implements InternalProfiler {

	static final String THREAD = "cpu.thread";

	static final String PROCESS = "cpu.process";

	private static volatile long threadCpuNanos = -1;

	private static volatile long processCpuNanos = -1;

	static void record(long threadNanos, long processNanos) {
		threadCpuNanos = threadNanos;
		processCpuNanos = processNanos;
	}

	@Override
	public String getDescription() {
		return "CPU time of a test context start (thread and process)";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		record(-1, -1);
	}

	@Override
	public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams,
			IterationParams iterationParams, IterationResult result) {
		if (threadCpuNanos < 0) {
			return List.of();
		}
		return List.of(new ScalarResult(THREAD, threadCpuNanos / 1e6, "ms/op", AggregationPolicy.AVG),
				new ScalarResult(PROCESS, processCpuNanos / 1e6, "ms/op", AggregationPolicy.AVG));
	}

}
