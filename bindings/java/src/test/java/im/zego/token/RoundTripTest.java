package im.zego.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generate, then decode and verify; every refusal with its kind and codes. */
class RoundTripTest {
    static final long APP = 1234567890L;
    static final String KEY = "fa94dd0f974cf2e293728a526b028271";
    static ServerSecret secret;

    @BeforeAll
    static void open() throws TokenException {
        secret = ServerSecret.of(KEY);
    }

    @AfterAll
    static void close() {
        secret.close();
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void basicTokenRoundTrips() throws TokenException {
        long before = now();
        String token = secret.generate(APP, "user-42", Duration.ofHours(1));
        long after = now();
        assertTrue(token.startsWith("04"), token);
        Decoded d = secret.decode(token);
        assertEquals(APP, d.appId());
        assertEquals("user-42", d.userId());
        assertEquals("", d.payload());
        assertEquals(CipherMode.GCM, d.mode());
        assertEquals(12, d.iv().length);
        assertTrue(d.ctime() >= before && d.ctime() <= after);
        assertEquals(d.ctime() + 3600, d.expire());
        assertEquals(d.expire(), d.headerExpire());
        assertTrue(d.nonce() >= Integer.MIN_VALUE && d.nonce() <= Integer.MAX_VALUE);
        assertEquals(d.expire(), Token04.inspect(token).untrustedExpire());
        secret.verify(token, Validation.forApp(APP).userId("user-42"));
    }

    @Test
    void builderMakesPrivilegeTokens() throws TokenException {
        GeneratedToken g = Token04.builder(APP, "user-42")
                .lifetime(Duration.ofMinutes(10))
                .room(RoomPayload.forRoom("room-1").allowPublish().stream("s1").stream("s-2"))
                .generate(secret);
        assertEquals(CipherMode.GCM, g.mode());
        assertEquals(g.ctime() + 600, g.expire());
        assertFalse(g.toString().contains(g.token()), "toString leaves the token out");
        Decoded d = secret.verify(g.token(), Validation.forApp(APP).userId("user-42")
                .roomId("room-1").requirePublish().streamId("s-2"));
        assertEquals(g.nonce(), d.nonce());
        assertEquals(g.ctime(), d.ctime());
        assertEquals("{\"room_id\":\"room-1\",\"privilege\":{\"1\":1,\"2\":1},"
                + "\"stream_id_list\":[\"s1\",\"s-2\"]}", d.payload());
        RoomPrivileges r = d.roomPrivileges().get();
        assertEquals("room-1", r.roomId());
        assertEquals(Arrays.asList("s1", "s-2"), r.streamIds().get());
    }

    @Test
    void roomPayloadMatchesTheOfficialSampleShape() throws TokenException {
        RoomPrivileges r = RoomPayload.forRoom("room1").build();
        assertEquals("{\"room_id\":\"room1\",\"privilege\":{\"1\":1,\"2\":0},\"stream_id_list\":null}",
                r.toJson());
        assertTrue(r.canLogin());
        assertFalse(r.canPublish());
        assertFalse(r.streamIds().isPresent());
        RoomPrivileges empty = RoomPayload.forRoom("r").denyLogin().allowPublish()
                .streams(Arrays.<String>asList()).build();
        assertEquals("{\"room_id\":\"r\",\"privilege\":{\"1\":0,\"2\":1},\"stream_id_list\":[]}",
                empty.toJson());
        assertTrue(empty.allowsStream("anything"));
    }

    @Test
    void cbcOnRequest() throws TokenException {
        GeneratedToken g = Token04.builder(APP, "u").lifetime(Duration.ofSeconds(60))
                .legacyCbc().generate(secret);
        assertEquals(CipherMode.CBC, g.mode());
        Envelope e = Token04.inspect(g.token());
        assertEquals(CipherMode.CBC, e.mode());
        assertFalse(e.hasModeByte());
        assertEquals(16, e.iv().length);
        assertEquals(CipherMode.CBC, secret.verify(g.token(), Validation.forApp(APP)).mode());
    }

    @Test
    void rawPayloadPassesThrough() throws TokenException {
        String payload = "{\"payload\":\"payload\"} é 中文 😀";
        GeneratedToken g = Token04.builder(APP, "用户").lifetime(Duration.ofSeconds(5))
                .payload(payload).generate(secret);
        Decoded d = secret.decode(g.token());
        assertEquals(payload, d.payload());
        assertEquals("用户", d.userId());
    }

    @Test
    void pastedTokensAreNormalised() throws TokenException {
        String token = secret.generate(APP, "u", Duration.ofSeconds(60));
        String pasted = "  \"" + token.substring(0, 40) + "\r\n" + token.substring(40) + "\"\n";
        assertEquals("u", secret.decode(pasted).userId());
        assertEquals(secret.decode(token).nonce(), secret.decode(pasted).nonce());
    }

    @Test
    void tokensAreFresh() throws TokenException {
        String a = secret.generate(APP, "u", Duration.ofSeconds(60));
        String b = secret.generate(APP, "u", Duration.ofSeconds(60));
        assertNotEquals(a, b);
        assertNotEquals(Arrays.toString(Token04.inspect(a).iv()),
                Arrays.toString(Token04.inspect(b).iv()));
    }

    static void assertInput(String field, int official, Executable call) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call::run);
        assertEquals("invalid_input", e.kind());
        assertEquals(field, e.field());
        if (official > 0) {
            assertEquals(official, e.officialCode().getAsInt());
        } else {
            assertFalse(e.officialCode().isPresent());
        }
        assertFalse(e.zegoCode().isPresent());
        assertFalse(e.advice().isEmpty());
        assertTrue(e.getMessage().startsWith("invalid " + field + ": "), e.getMessage());
    }

    interface Executable {
        void run() throws Throwable;
    }

    @Test
    void refusesBadInputNamingTheField() {
        Duration h = Duration.ofHours(1);
        assertInput("app_id", 1, () -> secret.generate(0, "u", h));
        assertInput("app_id", 1, () -> secret.generate(-1, "u", h));
        assertInput("app_id", 1, () -> secret.generate(4294967296L, "u", h));
        assertInput("user_id", 3, () -> secret.generate(APP, "", h));
        assertInput("user_id", 3, () -> secret.generate(APP, String.join("", java.util.Collections.nCopies(64, "x")), h));
        assertInput("effective_time_in_seconds", 6, () -> secret.generate(APP, "u", Duration.ZERO));
        assertInput("effective_time_in_seconds", 6, () -> secret.generate(APP, "u", Duration.ofSeconds(-5)));
        assertInput("effective_time_in_seconds", 6, () -> secret.generate(APP, "u", Duration.ofMillis(1500)));
        assertInput("effective_time_in_seconds", 6,
                () -> Token04.builder(APP, "u").generate(secret));
        assertInput("room_id", -1, () -> RoomPayload.forRoom("").build());
        assertInput("stream_id", -1, () -> RoomPayload.forRoom("r").stream("a b").build());
        assertInput("payload", -1, () -> Token04.builder(APP, "u").lifetime(h)
                .payload(String.join("", java.util.Collections.nCopies(70000, "p"))).generate(secret));
        assertThrows(NullPointerException.class, () -> secret.generate(APP, null, h));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> secret.generate(-7, "u", h));
        assertTrue(e.getMessage().contains("-7"), e.getMessage());
    }

    @Test
    void verifyRefusalsCarryKindsAndCodes() throws TokenException {
        long t = now();
        String basic = secret.generate(APP, "u", Duration.ofSeconds(100));
        String room = Token04.builder(APP, "u").lifetime(Duration.ofSeconds(100))
                .room(RoomPayload.forRoom("room-1").stream("s1")).generate(secret).token();
        String noLogin = Token04.builder(APP, "u").lifetime(Duration.ofSeconds(100))
                .room(RoomPayload.forRoom("room-1").denyLogin()).generate(secret).token();
        Validation v = Validation.forApp(APP).leeway(Duration.ZERO);

        rejected("user_id_mismatch", 1002077, 6000103, () -> secret.verify(basic, v.userId("w")));
        rejected("expired", 1002078, 6000106, () -> secret.verify(basic, v.at(t + 1000)));
        rejected("not_yet_valid", -1, -1, () -> secret.verify(basic, v.at(t - 1000)));
        rejected("room_mismatch", 1002033, -1, () -> secret.verify(basic, v.roomId("room-1")));
        rejected("room_mismatch", 1002033, -1, () -> secret.verify(room, v.roomId("room-2")));
        rejected("privilege_missing", 1002033, -1, () -> secret.verify(noLogin, v.roomId("room-1")));
        rejected("privilege_missing", 1003072, -1, () -> secret.verify(room, v.requirePublish()));
        rejected("app_id_mismatch", 1002076, 6000103, () -> secret.verify(basic, Validation.forApp(1)));
        // A generous leeway accepts a token just past its expiry.
        secret.verify(basic, v.leeway(Duration.ofSeconds(3600)).at(t + 1000));
    }

    static void rejected(String kind, int zego, int zim, Executable call) {
        TokenRejectedException e = assertThrows(TokenRejectedException.class, call::run);
        assertEquals(kind, e.kind());
        assertEquals(zego, e.zegoCode().orElse(-1));
        assertEquals(zim, e.zimCode().orElse(-1));
        assertFalse(e.advice().isEmpty());
    }

    @Test
    void malformedTokensAreNamed() throws TokenException {
        MalformedTokenException v = assertThrows(MalformedTokenException.class,
                () -> Token04.inspect("03abcd"));
        assertEquals("wrong_version", v.kind());
        assertEquals(1002079, v.zegoCode().getAsInt());
        assertEquals(6000107, v.zimCode().getAsInt());
        for (String bad : new String[] {"", "04!!!!", "04AAAA", "hello"}) {
            MalformedTokenException e = assertThrows(MalformedTokenException.class,
                    () -> secret.decode(bad));
            assertTrue(e.kind().equals("malformed") || e.kind().equals("wrong_version"), bad);
            assertFalse(e.getMessage().isEmpty());
        }
    }

    @Test
    void tamperingIsDetected() throws TokenException {
        String token = secret.generate(APP, "u", Duration.ofSeconds(60));
        byte[] body = Base64.getDecoder().decode(token.substring(2));
        for (int i = 8; i < body.length; i++) {
            byte[] copy = body.clone();
            copy[i] ^= 0x01;
            String changed = "04" + Base64.getEncoder().encodeToString(copy);
            TokenException e = assertThrows(TokenException.class, () -> secret.decode(changed));
            assertTrue(e instanceof DecryptException || e instanceof MalformedTokenException,
                    i + ": " + e);
        }
        // The expire in the header is not encrypted: verify compares it with the claims'.
        byte[] copy = body.clone();
        copy[7] ^= 0x01;
        String changed = "04" + Base64.getEncoder().encodeToString(copy);
        InvalidClaimsException e = assertThrows(InvalidClaimsException.class,
                () -> secret.verify(changed, Validation.forApp(APP)));
        assertEquals("invalid_claims", e.kind());
    }

    @Test
    void kitTokenCarriesTheKitFields() throws TokenException {
        String token = secret.generate(APP, "u1", Duration.ofHours(1));
        String kit = Token04.kitToken(token, APP, "u1", "room-1", "Zoë & co");
        assertTrue(kit.startsWith(token + "#"), kit);
        String json = new String(Base64.getDecoder().decode(kit.substring(token.length() + 1)),
                java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\"userID\":\"u1\",\"roomID\":\"room-1\",\"userName\":\"Zo%C3%AB%20%26%20co\","
                + "\"appID\":1234567890}", json);
        assertInput("room_id", -1, () -> Token04.kitToken(token, APP, "u1", "room one", "n"));
        // Kit tokens are read as the kits read them: decode, verify and inspect take them.
        assertEquals("u1", secret.verify(kit, Validation.forApp(APP).userId("u1")).userId());
        assertEquals(Token04.inspect(token).untrustedExpire(), Token04.inspect(kit).untrustedExpire());
        String otherUser = Token04.kitToken(token, APP, "u2", "room-1", "n");
        find(secret.decode(otherUser).warnings(), "kit_user_id_mismatch");
        assertInput("user_id", 3, () -> Token04.kitToken(token, APP, "josé", "r", "n"));
    }

    @Test
    void sdkRulesAreReportedOnGenerateAndDecode() throws TokenException {
        GeneratedToken clean = Token04.builder(987654321L, "user-1")
                .lifetime(Duration.ofHours(1)).generate(secret);
        assertTrue(clean.warnings().isEmpty(), clean.warnings().toString());
        assertTrue(secret.decode(clean.token()).warnings().isEmpty(),
                secret.decode(clean.token()).warnings().toString());
        assertTrue(Token04.inspect(clean.token()).warnings().isEmpty());
        // The demo app id is published: ZEGO refuses its tokens.
        find(secret.decode(secret.generate(APP, "u", Duration.ofHours(1))).warnings(), "demo_app");

        GeneratedToken g = Token04.builder(APP, "用户").lifetime(Duration.ofSeconds(10))
                .generate(secret);
        SdkWarning charset = find(g.warnings(), "user_id_charset");
        assertEquals("rtc", charset.product());
        assertEquals(1002006, charset.code().getAsInt());
        assertTrue(charset.blocking());
        assertFalse(charset.message().isEmpty());
        assertTrue(charset.toString().endsWith("(1002006)"), charset.toString());
        SdkWarning ttl = find(g.warnings(), "ttl_too_short");
        assertEquals("zim", ttl.product());
        assertEquals(6000108, ttl.code().getAsInt());

        Decoded d = secret.decode(g.token());
        // Decode says at least what generate said (and more: APP is the public demo app).
        for (SdkWarning w : g.warnings()) {
            assertEquals(w.message(), find(d.warnings(), w.rule()).message());
        }
        find(d.warnings(), "demo_app");
        assertTrue(d.payloadPresent());
    }

    static SdkWarning find(java.util.List<SdkWarning> warnings, String rule) {
        for (SdkWarning w : warnings) {
            if (w.rule().equals(rule)) {
                return w;
            }
        }
        throw new AssertionError("no " + rule + " in " + warnings);
    }

    @Test
    void emptyExpectationsAreUsageErrors() throws TokenException {
        String token = secret.generate(APP, "u", Duration.ofSeconds(60));
        assertInput("user_id", 3, () -> secret.verify(token, Validation.forApp(APP).userId("")));
        assertInput("room_id", -1, () -> secret.verify(token, Validation.forApp(APP).roomId("")));
        assertInput("stream_id", -1,
                () -> secret.verify(token, Validation.forApp(APP).streamId("")));
    }

    @Test
    void defaultLeewayAcceptsAFewSecondsOfSkew() throws TokenException {
        String token = secret.generate(APP, "u", Duration.ofSeconds(60));
        long expire = secret.decode(token).expire();
        secret.verify(token, Validation.forApp(APP).at(expire + 2));
        assertThrows(ExpiredTokenException.class,
                () -> secret.verify(token, Validation.forApp(APP).at(expire + 60)));
    }
}
