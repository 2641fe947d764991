package im.zego.token;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the {@link Interleaved} timed loop ({@code -Dzego.bench.rounds=0} skips it), then
 * {@link Token04Bench} under JMH (JMH options from the command line, e.g.
 * {@code -f 1 -wi 2 -w 1s -i 3 -r 1s}), and prints tokens/s and the ratios to the
 * plain-Java baseline of the same run.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("zego.bench.rounds", 30);
        if (rounds > 0) {
            Interleaved.run(rounds, Integer.getInteger("zego.bench.calls", 3000));
        }
        Options cli = new CommandLineOptions(args);
        Options opts = new OptionsBuilder().parent(cli)
                .include(Token04Bench.class.getName() + "\\.").build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Double> ns = new HashMap<String, Double>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            ns.put(label.substring(label.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        double plain = ns.get("plainJava");
        System.out.println();
        System.out.println("zego-token Java benchmark (one thread, ns per token; tokens/s; x plain Java)");
        for (String name : new String[] {"plainJava", "plainJavaCachedCipher", "dropIn", "reusableSecret"}) {
            double t = ns.get(name);
            System.out.printf("  %-22s %9.0f ns  %10.0f tokens/s  %6.2fx%n", name, t, 1e9 / t,
                    plain / t);
        }
        System.out.printf("  %-22s %9.0f ns per call (argument conversion, claims, returned token bytes; no crypto)%n",
                "jniCallCost", ns.get("jniCallCost"));
        System.out.printf("RATIO reusable/plain=%.2f dropin/plain=%.2f reusable/cached=%.2f jni_ns=%.0f%n",
                plain / ns.get("reusableSecret"), plain / ns.get("dropIn"),
                ns.get("plainJavaCachedCipher") / ns.get("reusableSecret"), ns.get("jniCallCost"));
    }
}
