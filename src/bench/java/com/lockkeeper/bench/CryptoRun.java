package com.lockkeeper.bench;

import com.lockkeeper.keys.CryptoBenchmarks;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The JMH crypto benchmarks on one thread: operations per second per core. */
final class CryptoRun {

    private CryptoRun() {
    }

    static Map<String, Double> run() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(CryptoBenchmarks.class.getName())
                .forks(1)
                .threads(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(2))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> perSecond = new LinkedHashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            perSecond.put(label.substring(label.lastIndexOf('.') + 1), result.getPrimaryResult().getScore());
        }
        return perSecond;
    }
}
