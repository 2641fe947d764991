package im.zego.token;

import java.util.Arrays;

/**
 * A second measurement for a shared, noisy machine: the contenders of {@link Token04Bench}
 * run in turns (round after round, a few thousand calls each), after a warm-up, and each
 * reports the fastest round and the median round. Other processes slow some rounds of
 * every contender alike, so the ratios of the fastest rounds are steadier than those of
 * JMH's averages taken one after another.
 */
final class Interleaved {
    private Interleaved() {}

    interface Call {
        Object run() throws Exception;
    }

    static void run(int rounds, int calls) throws Exception {
        Token04Bench b = new Token04Bench();
        b.setUp();
        String[] names = {"plainJava", "plainJavaCachedCipher", "dropIn", "reusableSecret",
            "jniCallCost"};
        Call[] contenders = {b::plainJava, b::plainJavaCachedCipher, b::dropIn,
            b::reusableSecret, b::jniCallCost};
        double[][] ns = new double[contenders.length][rounds];
        Object sink = null;
        for (int w = 0; w < 20; w++) {
            for (Call c : contenders) {
                for (int i = 0; i < calls; i++) {
                    sink = c.run();
                }
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < contenders.length; k++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    sink = contenders[k].run();
                }
                ns[k][r] = (System.nanoTime() - t0) / (double) calls;
            }
        }
        b.tearDown();
        double[] best = new double[contenders.length];
        double[] median = new double[contenders.length];
        for (int k = 0; k < contenders.length; k++) {
            Arrays.sort(ns[k]);
            best[k] = ns[k][0];
            median[k] = ns[k][rounds / 2];
        }
        System.out.println();
        System.out.printf("interleaved timed loop (%d rounds of %d calls; fastest and median round, ns per call; x plain Java by fastest)%n",
                rounds, calls);
        for (int k = 0; k < contenders.length; k++) {
            System.out.printf("  %-22s %8.0f ns  %8.0f ns  %6.2fx%n", names[k], best[k], median[k],
                    best[0] / best[k]);
        }
        System.out.printf("RATIO-LOOP reusable/plain=%.2f dropin/plain=%.2f reusable/cached=%.2f jni_ns=%.0f core_ns=%.0f%n",
                best[0] / best[3], best[0] / best[2], best[1] / best[3], best[4],
                best[3] - best[4]);
        if (sink == null) {
            throw new AssertionError();
        }
    }
}
