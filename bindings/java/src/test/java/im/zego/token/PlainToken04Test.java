package im.zego.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import im.zego.token.Vectors.Vector;

/** The benchmark's plain-Java baseline is the official algorithm: it reproduces the official Java GCM vectors. */
class PlainToken04Test {
    @Test
    void reproducesTheOfficialJavaGcmVectors() throws Exception {
        List<Vector> java = Vectors.all().stream()
                .filter(v -> v.source.equals("java-gcm-reference")).collect(Collectors.toList());
        assertTrue(java.size() >= 5, "java-gcm-reference vectors: " + java.size());
        for (Vector v : java) {
            String token = PlainToken04.generate(v.appId, v.userId, v.secret, v.effectiveTime,
                    v.payload, v.ctime, v.nonce, v.iv);
            assertEquals(v.token, token, v.name);
        }
    }

    @Test
    void itsRandomTokensVerifyWithTheCore() throws Exception {
        String token = PlainToken04.generateToken04(7, "u", SecretTest.KEY, 60, "");
        try (ServerSecret s = ServerSecret.of(SecretTest.KEY)) {
            assertEquals("u", s.verify(token, Validation.forApp(7).userId("u")).userId());
            String cached = new PlainToken04.Cached(SecretTest.KEY).generateToken04(7, "u", 60, "");
            assertEquals("u", s.verify(cached, Validation.forApp(7).userId("u")).userId());
        }
    }
}
