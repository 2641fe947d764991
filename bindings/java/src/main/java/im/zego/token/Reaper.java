package im.zego.token;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wipes the native key of a {@link ServerSecret} that was never closed, once the garbage
 * collector finds the secret unreachable: Java 8 has no {@code java.lang.ref.Cleaner}, so
 * this is the same idea by hand (a phantom reference per secret, one daemon thread).
 */
final class Reaper {
    private static final ReferenceQueue<ServerSecret> QUEUE = new ReferenceQueue<ServerSecret>();
    /** Keeps the references themselves reachable until they are processed. */
    private static final Set<Ref> LIVE = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<Ref, Boolean>()));
    /** How many keys the reaper freed (for the tests). */
    static final AtomicLong REAPED = new AtomicLong();
    private static Thread thread;

    private Reaper() {}

    private static final class Ref extends PhantomReference<ServerSecret> {
        final ServerSecret.Key key;

        Ref(ServerSecret secret, ServerSecret.Key key) {
            super(secret, QUEUE);
            this.key = key;
        }
    }

    static void watch(ServerSecret secret, ServerSecret.Key key) {
        LIVE.add(new Ref(secret, key));
        start();
    }

    private static synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(new Runnable() {
            @Override
            public void run() {
                while (true) {
                    Reference<? extends ServerSecret> r;
                    try {
                        r = QUEUE.remove();
                    } catch (InterruptedException e) {
                        continue;
                    }
                    Ref ref = (Ref) r;
                    LIVE.remove(ref);
                    if (ref.key.free()) {
                        REAPED.incrementAndGet();
                    }
                }
            }
        }, "zego-token-secret-reaper");
        thread.setDaemon(true);
        thread.start();
    }
}
