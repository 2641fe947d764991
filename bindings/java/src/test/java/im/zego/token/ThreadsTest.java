package im.zego.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** One ServerSecret shared by many threads. */
class ThreadsTest {
    static final int THREADS = 8;
    static final int PER_THREAD = 500;

    @Test
    void manyThreadsShareOneSecret() throws Exception {
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (ServerSecret secret = ServerSecret.of(SecretTest.KEY)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<Future<?>>();
            for (int t = 0; t < THREADS; t++) {
                final String user = "user-" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        String token = i % 2 == 0
                                ? secret.generate(7, user, Duration.ofSeconds(60))
                                : Token04.builder(7, user).lifetime(Duration.ofSeconds(60))
                                        .room(RoomPayload.forRoom("r" + i)).generate(secret).token();
                        Decoded d = secret.verify(token, Validation.forApp(7).userId(user));
                        assertEquals(user, d.userId());
                        tokens.add(token);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(THREADS * PER_THREAD, tokens.size(), "every token is distinct");
    }

    @Test
    void closeWhileOtherThreadsGenerate() throws Exception {
        ServerSecret secret = ServerSecret.of(SecretTest.KEY);
        AtomicInteger made = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<Future<?>>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 20000; i++) {
                    try {
                        secret.generate(7, "u", Duration.ofSeconds(60));
                        made.incrementAndGet();
                    } catch (IllegalStateException closed) {
                        refused.incrementAndGet();
                        return null;
                    }
                }
                return null;
            }));
        }
        while (made.get() < 100) {
            Thread.yield();
        }
        secret.close();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(secret.isClosed());
        assertTrue(made.get() >= 100);
        assertTrue(refused.get() > 0 || made.get() == 80000);
    }
}
