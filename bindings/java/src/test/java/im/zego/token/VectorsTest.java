package im.zego.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import im.zego.token.Vectors.Vector;

/** Every official vector, decoded to every field, verified, and re-derived byte for byte. */
class VectorsTest {
    static Stream<Vector> vectors() {
        return Vectors.all().stream();
    }

    @Test
    void allSeventyOneAreThere() {
        List<Vector> all = Vectors.all();
        assertEquals(71, all.size());
        assertEquals(13, all.stream().map(v -> v.source).distinct().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesEveryField(Vector v) throws TokenException {
        try (ServerSecret secret = ServerSecret.of(v.secret)) {
            Decoded d = secret.decode(v.token);
            assertEquals(v.appId, d.appId());
            assertEquals(v.userId, d.userId());
            assertEquals(v.nonce, d.nonce());
            assertEquals(v.ctime, d.ctime());
            assertEquals(v.expire, d.expire());
            assertEquals(v.payload, d.payload());
            assertEquals(v.mode, d.mode());
            assertArrayEquals(v.iv, d.iv());
            assertEquals(v.expire, d.headerExpire());
            assertEquals(v.ctime + v.effectiveTime, d.expire());
            assertTrue(d.payloadPresent());
            java.util.Set<String> rules = new java.util.HashSet<String>();
            for (SdkWarning w : d.warnings()) {
                rules.add(w.rule());
            }
            assertEquals(v.mode == CipherMode.CBC, rules.contains("legacy_cbc"), rules.toString());
            assertEquals(v.appId == 1234567890L, rules.contains("demo_app"), rules.toString());
            switch (v.kase) {
                case "basic":
                    for (String r : rules) {
                        assertTrue(r.equals("legacy_cbc") || r.equals("demo_app")
                                || r.equals("weak_nonce"), rules.toString());
                    }
                    break;
                case "unicode_user":
                    assertTrue(rules.contains("user_id_charset"), rules.toString());
                    break;
                case "huge_expire":
                    assertTrue(rules.contains("expire_past_2038"), rules.toString());
                    break;
                default:
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void inspectsTheHeaderWithoutTheSecret(Vector v) throws TokenException {
        Envelope e = Token04.inspect(v.token);
        assertEquals(v.expire, e.untrustedExpire());
        assertEquals(v.mode, e.mode());
        assertEquals(v.mode == CipherMode.GCM, e.hasModeByte());
        assertArrayEquals(v.iv, e.iv());
        int expectedCt = v.mode == CipherMode.GCM
                ? v.plaintext.getBytes(StandardCharsets.UTF_8).length + 16
                : (v.plaintext.getBytes(StandardCharsets.UTF_8).length / 16 + 1) * 16;
        assertEquals(expectedCt, e.ciphertextLength());
        boolean legacy = false;
        boolean weak = false;
        for (SdkWarning w : e.warnings()) {
            legacy |= w.rule().equals("legacy_cbc");
            weak |= w.rule().equals("weak_nonce");
        }
        assertEquals(v.mode == CipherMode.CBC, legacy);
        boolean asciiNonce = true;
        for (byte b : v.iv) {
            asciiNonce &= Character.isLetterOrDigit((char) b) && b > 0;
        }
        assertEquals(v.mode == CipherMode.GCM && asciiNonce, weak, v.name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reDerivesTheExactBytes(Vector v) throws TokenException {
        try (ServerSecret secret = ServerSecret.of(v.secret)) {
            String token = secret.sealPlaintext(v.mode, v.expire, v.iv,
                    v.plaintext.getBytes(StandardCharsets.UTF_8));
            assertEquals(v.token, token);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verifiesWithinItsLifetimeOnly(Vector v) throws TokenException {
        try (ServerSecret secret = ServerSecret.of(v.secret)) {
            Validation ok = Validation.forApp(v.appId).userId(v.userId).leeway(Duration.ZERO)
                    .at(v.ctime);
            assertEquals(v.userId, secret.verify(v.token, ok).userId());

            ExpiredTokenException expired = assertThrows(ExpiredTokenException.class,
                    () -> secret.verify(v.token, ok.at(v.expire)));
            assertEquals("expired", expired.kind());
            assertEquals(1002078, expired.zegoCode().getAsInt());
            assertEquals(6000106, expired.zimCode().getAsInt());

            long otherApp = v.appId == 1 ? 2 : v.appId - 1;
            TokenRejectedException app = assertThrows(TokenRejectedException.class,
                    () -> secret.verify(v.token, Validation.forApp(otherApp).at(v.ctime)));
            assertEquals("app_id_mismatch", app.kind());
            assertEquals(1002076, app.zegoCode().getAsInt());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void readsRoomPrivilegesOfPrivilegeTokens(Vector v) throws TokenException {
        try (ServerSecret secret = ServerSecret.of(v.secret)) {
            Decoded d = secret.decode(v.token);
            switch (v.kase) {
                case "rtc_room": {
                    RoomPrivileges r = d.roomPrivileges().get();
                    assertEquals("room1", r.roomId());
                    assertTrue(r.canLogin());
                    assertFalse(r.canPublish());
                    assertTrue(!r.streamIds().isPresent() || r.streamIds().get().isEmpty());
                    break;
                }
                case "rtc_streams": {
                    RoomPrivileges r = d.roomPrivileges().get();
                    assertEquals("room-2", r.roomId());
                    assertTrue(r.canLogin() && r.canPublish());
                    assertEquals(Optional.of(java.util.Arrays.asList("stream-1", "stream-2")),
                            r.streamIds());
                    assertTrue(r.allowsStream("stream-2"));
                    assertFalse(r.allowsStream("stream-3"));
                    secret.verify(v.token, Validation.forApp(v.appId).roomId("room-2")
                            .streamId("stream-1").at(v.ctime));
                    TokenRejectedException e = assertThrows(TokenRejectedException.class,
                            () -> secret.verify(v.token, Validation.forApp(v.appId)
                                    .streamId("stream-3").at(v.ctime)));
                    assertEquals("stream_not_allowed", e.kind());
                    assertEquals(1003072, e.zegoCode().getAsInt());
                    break;
                }
                case "special_payload":
                    assertEquals("invalid_payload",
                            assertThrows(InvalidPayloadException.class, d::roomPrivileges).kind());
                    break;
                default:
                    if (v.payload.isEmpty()) {
                        assertFalse(d.roomPrivileges().isPresent());
                    }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void aWrongSecretIsOneOpaqueError(Vector v) throws TokenException {
        char[] other = v.secret.toCharArray();
        other[0] = other[0] == 'a' ? 'b' : 'a';
        try (ServerSecret wrong = ServerSecret.fromChars(other)) {
            DecryptException e = assertThrows(DecryptException.class, () -> wrong.decode(v.token));
            assertEquals("decrypt", e.kind());
            assertEquals(1002033, e.zegoCode().getAsInt());
            assertEquals(6000103, e.zimCode().getAsInt());
            assertFalse(e.getMessage().contains(v.secret));
            assertFalse(e.getMessage().contains(new String(other)));
        }
    }
}
