package im.zego.token;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import im.zego.serverassistant.utils.TokenServerAssistant;

/**
 * Tokens per call, one thread: the drop-in call, the reusable-secret call, the plain-Java
 * official algorithm (JSON, {@code Cipher.getInstance} and key setup per call), the same
 * with the {@code Cipher} kept per thread (a stronger baseline than ZEGO's code), and the
 * JNI per-call cost (everything the reusable-secret call does except making the token).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Token04Bench {
    static final long APP = 1234567890L;
    static final String KEY = "fa94dd0f974cf2e293728a526b028271";
    static final String USER = "user1";
    static final Duration HOUR = Duration.ofHours(1);

    ServerSecret secret;
    PlainToken04.Cached cached;
    int tokenLength;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        secret = ServerSecret.of(KEY);
        // Every contender must make a token the core accepts, or its figure means nothing.
        Validation v = Validation.forApp(APP).userId(USER);
        String token = secret.generate(APP, USER, HOUR);
        secret.verify(token, v);
        secret.verify(TokenServerAssistant.generateToken04(APP, USER, KEY, 3600, "").data, v);
        secret.verify(PlainToken04.generateToken04(APP, USER, KEY, 3600, ""), v);
        cached = new PlainToken04.Cached(KEY);
        secret.verify(cached.generateToken04(APP, USER, 3600, ""), v);
        tokenLength = token.length();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        secret.close();
    }

    @Benchmark
    public String dropIn() {
        return TokenServerAssistant.generateToken04(APP, USER, KEY, 3600, "").data;
    }

    @Benchmark
    public String reusableSecret() throws TokenException {
        return secret.generate(APP, USER, HOUR);
    }

    @Benchmark
    public String plainJava() throws Exception {
        return PlainToken04.generateToken04(APP, USER, KEY, 3600, "");
    }

    @Benchmark
    public String plainJavaCachedCipher() throws Exception {
        return cached.generateToken04(APP, USER, 3600, "");
    }

    @Benchmark
    public String jniCallCost() throws TokenException {
        return secret.callCost(APP, USER, HOUR, tokenLength);
    }
}
