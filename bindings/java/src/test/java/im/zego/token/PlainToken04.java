package im.zego.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.json.simple.JSONObject;

/**
 * The benchmark's baseline: the official Java GCM algorithm in plain Java, as ZEGO's
 * generator does it per call (a json-simple {@code JSONObject}, {@code Cipher.getInstance}
 * and a key setup for every token). Written here from the format; {@code PlainToken04Test}
 * checks it against the official Java GCM vectors byte for byte.
 */
final class PlainToken04 {
    private PlainToken04() {}

    /** A token at the current time, with a random nonce and IV (as the official class draws them). */
    static String generateToken04(long appId, String userId, String secret,
            int effectiveTimeInSeconds, String payload) throws GeneralSecurityException {
        byte[] iv = new byte[12];
        ThreadLocalRandom.current().nextBytes(iv);
        int nonce = ThreadLocalRandom.current().nextInt();
        return generate(appId, userId, secret, effectiveTimeInSeconds, payload,
                System.currentTimeMillis() / 1000, nonce, iv);
    }

    static String generate(long appId, String userId, String secret, long effectiveTimeInSeconds,
            String payload, long ctime, long nonce, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE,
                new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "AES"),
                new GCMParameterSpec(128, iv));
        return seal(cipher, appId, userId, effectiveTimeInSeconds, payload, ctime, nonce, iv);
    }

    /**
     * A stronger baseline than the official code: the same, but with the {@code Cipher}
     * and key object made once per thread ({@code init} still runs per token, as GCM
     * needs a fresh nonce).
     */
    static final class Cached {
        private final SecretKeySpec key;
        private final ThreadLocal<Cipher> cipher = new ThreadLocal<Cipher>() {
            @Override
            protected Cipher initialValue() {
                try {
                    return Cipher.getInstance("AES/GCM/NoPadding");
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        Cached(String secret) {
            key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "AES");
        }

        String generateToken04(long appId, String userId, int effectiveTimeInSeconds,
                String payload) throws GeneralSecurityException {
            byte[] iv = new byte[12];
            ThreadLocalRandom.current().nextBytes(iv);
            Cipher c = cipher.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            return seal(c, appId, userId, effectiveTimeInSeconds, payload,
                    System.currentTimeMillis() / 1000, ThreadLocalRandom.current().nextInt(), iv);
        }
    }

    // json-simple's JSONObject is a raw HashMap: put is an unchecked call by design.
    @SuppressWarnings("unchecked")
    private static String seal(Cipher cipher, long appId, String userId,
            long effectiveTimeInSeconds, String payload, long ctime, long nonce, byte[] iv)
            throws GeneralSecurityException {
        long expire = ctime + effectiveTimeInSeconds;
        JSONObject json = new JSONObject();
        json.put("app_id", appId);
        json.put("user_id", userId);
        json.put("ctime", ctime);
        json.put("expire", expire);
        json.put("nonce", nonce);
        json.put("payload", payload);
        byte[] content = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] ct = cipher.doFinal(content);

        ByteBuffer buf = ByteBuffer.allocate(8 + 2 + iv.length + 2 + ct.length + 1);
        buf.putLong(expire);
        buf.putShort((short) iv.length);
        buf.put(iv);
        buf.putShort((short) ct.length);
        buf.put(ct);
        buf.put((byte) 1);
        return "04" + Base64.getEncoder().encodeToString(buf.array());
    }
}
