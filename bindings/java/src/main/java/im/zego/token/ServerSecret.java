package im.zego.token;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;

/**
 * A validated ZEGO ServerSecret with its AES keys prepared, held by the native library.
 *
 * <p>The ServerSecret is the 32-character string from ZEGO's console; its bytes are the
 * AES-256 key. Build one per app and reuse it: the key schedule is done once, so each
 * token costs only the encryption.
 *
 * <p><b>Security.</b> The key lives in native memory, never in a Java string or array
 * kept by this class: the bytes handed in are copied to native memory and the temporary
 * Java copies are wiped. {@link #close()} wipes the native copy (and its key schedules)
 * at once; a secret that is never closed is wiped some time after the garbage collector
 * finds it unreachable (a daemon thread watches for that), so close it when you can.
 * {@link #toString()} never shows the secret, nor does any exception.
 *
 * <p><b>Thread safety.</b> One instance may be used from any number of threads at once.
 * {@code close()} waits for running calls to finish; calls after it throw
 * {@link IllegalStateException}.
 */
public final class ServerSecret implements AutoCloseable {
    private final StampedLock lock;
    private final Key key;

    /**
     * The native key: its {@code Box<ServerSecret>} pointer (0 once freed) and the lock
     * that orders calls before the free. Kept apart from the {@code ServerSecret} so that
     * {@link Reaper} can free it after the {@code ServerSecret} became unreachable.
     */
    static final class Key {
        final StampedLock lock = new StampedLock();
        /** Guarded by lock. */
        long handle;

        Key(long handle) {
            this.handle = handle;
        }

        /** Frees the native key once; returns whether this call freed it. */
        boolean free() {
            long stamp = lock.writeLock();
            try {
                if (handle == 0) {
                    return false;
                }
                Native.secretFree(handle);
                handle = 0;
                return true;
            } finally {
                lock.unlockWrite(stamp);
            }
        }
    }

    private ServerSecret(long handle) {
        this.key = new Key(handle);
        this.lock = key.lock;
        Reaper.watch(this, key);
    }

    /**
     * Validates a ServerSecret and prepares its keys.
     *
     * @param secret the 32-character ServerSecret
     * @return the secret, to be closed when no longer needed
     * @throws InvalidInputException (field {@code secret}, official code 5) when it is not
     *     exactly 32 bytes; the message gives the length, never the value
     */
    public static ServerSecret of(String secret) throws InvalidInputException {
        Objects.requireNonNull(secret, "secret");
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        try {
            return fromBytes(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Like {@link #of(String)}, from characters the caller can wipe afterwards (e.g. read
     * from a password field or a file).
     *
     * @param secret the 32 characters; not modified
     * @return the secret
     * @throws InvalidInputException when it is not exactly 32 bytes of UTF-8
     */
    public static ServerSecret fromChars(char[] secret) throws InvalidInputException {
        Objects.requireNonNull(secret, "secret");
        // Like String.getBytes: an unpaired surrogate becomes '?', so the length the core
        // reports is the length of what would be used.
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer buf;
        try {
            buf = enc.encode(CharBuffer.wrap(secret));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("zego-token: UTF-8 encoding failed despite REPLACE", e);
        }
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        Arrays.fill(buf.array(), (byte) 0);
        try {
            return fromBytes(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Like {@link #of(String)}, from raw bytes.
     *
     * @param secret the 32 key bytes; not modified (wipe it yourself when done)
     * @return the secret
     * @throws InvalidInputException when there are not exactly 32 bytes
     */
    public static ServerSecret fromBytes(byte[] secret) throws InvalidInputException {
        Objects.requireNonNull(secret, "secret");
        try {
            return new ServerSecret(Native.secretNew(secret));
        } catch (InvalidInputException e) {
            throw e;
        } catch (TokenException e) {
            throw new IllegalStateException("zego-token: unexpected " + e.kind(), e);
        }
    }

    /**
     * A basic (identity) AES-GCM token: the fastest call. For privilege tokens, CBC or the
     * chosen times use {@link Token04#builder(long, String)}.
     *
     * @param appId the AppID (1 to 4294967295)
     * @param userId the user, fewer than 64 bytes
     * @param lifetime how long the token is valid: whole seconds, more than 0
     * @return the token text
     * @throws InvalidInputException when an input breaks a rule (the field is named)
     */
    public String generate(long appId, String userId, Duration lifetime)
            throws InvalidInputException {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(lifetime, "lifetime");
        long stamp = lock.readLock();
        try {
            return Native.text(Native.generate(live(), appId, userId, lifetime.getSeconds(),
                    lifetime.getNano(), null));
        } catch (InvalidInputException e) {
            throw e;
        } catch (TokenException e) {
            throw new IllegalStateException("zego-token: unexpected " + e.kind(), e);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    GeneratedToken generateFull(long appId, String userId, Duration lifetime, String payload,
            CipherMode mode) throws InvalidInputException {
        long stamp = lock.readLock();
        try {
            return Native.generateFull(live(), appId, userId, lifetime.getSeconds(),
                    lifetime.getNano(), payload, mode == CipherMode.CBC);
        } catch (InvalidInputException e) {
            throw e;
        } catch (TokenException e) {
            throw new IllegalStateException("zego-token: unexpected " + e.kind(), e);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Decrypts a token and reads its claims, without judging them (use
     * {@link #verify(String, Validation)} to accept a token).
     *
     * @param token a token04 text
     * @return the claims and header
     * @throws MalformedTokenException when the text is not a token04
     * @throws DecryptException when it was not made with this secret or was changed
     * @throws InvalidClaimsException when it decrypts to something that is not claims
     * @throws TokenException for any of these
     */
    public Decoded decode(String token) throws TokenException {
        Objects.requireNonNull(token, "token");
        long stamp = lock.readLock();
        try {
            return Native.decode(live(), token);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Checks a token as ZEGO's server would: it decrypts with this secret, is for the
     * expected app (and user, room, privileges, stream when asked), and is within its
     * lifetime.
     *
     * @param token a token04 text
     * @param expected what the token must satisfy
     * @return the decoded token when it is accepted
     * @throws TokenRejectedException when it is genuine but refused (the kind says why)
     * @throws TokenException when it cannot be read at all (see {@link #decode})
     */
    public Decoded verify(String token, Validation expected) throws TokenException {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expected, "expected");
        long stamp = lock.readLock();
        try {
            return Native.verify(live(), token, expected.appId, expected.userId,
                    expected.roomId, expected.requirePublish, expected.streamId,
                    expected.leewaySeconds, expected.fixedClock, expected.now);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Encrypts an exact claims text with a given IV: the vector tests only. */
    String sealPlaintext(CipherMode mode, long expire, byte[] iv, byte[] plaintext)
            throws TokenException {
        long stamp = lock.readLock();
        try {
            return Native.sealPlaintext(live(), mode == CipherMode.CBC, expire, iv, plaintext);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The benchmark's JNI per-call cost probe (see {@code Native.callCost}). */
    String callCost(long appId, String userId, Duration lifetime, int tokenLength)
            throws TokenException {
        long stamp = lock.readLock();
        try {
            return Native.text(Native.callCost(live(), appId, userId, lifetime.getSeconds(),
                    lifetime.getNano(), null, tokenLength));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private long live() {
        long h = key.handle;
        if (h == 0) {
            throw new IllegalStateException("zego-token: the ServerSecret is closed");
        }
        return h;
    }

    /**
     * Wipes the key from native memory. Waits for calls running on other threads; later
     * calls throw {@link IllegalStateException}. Closing twice does nothing.
     */
    @Override
    public void close() {
        key.free();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        long stamp = lock.readLock();
        try {
            return key.handle == 0;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** {@code ServerSecret(<redacted>)}, or {@code ServerSecret(<closed>)}. */
    @Override
    public String toString() {
        return isClosed() ? "ServerSecret(<closed>)" : "ServerSecret(<redacted>)";
    }
}
