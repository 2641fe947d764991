package im.zego.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The ServerSecret: redacted, validated without echoing, closed for good. */
class SecretTest {
    static final String KEY = "fa94dd0f974cf2e293728a526b028271";

    @Test
    void toStringIsRedacted() throws TokenException {
        ServerSecret s = ServerSecret.of(KEY);
        assertEquals("ServerSecret(<redacted>)", s.toString());
        assertFalse(s.isClosed());
        s.close();
        assertEquals("ServerSecret(<closed>)", s.toString());
        assertTrue(s.isClosed());
    }

    @Test
    void wrongLengthIsRefusedWithoutTheValue() {
        String bad = "tooshort-secret-value";
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ServerSecret.of(bad));
        assertEquals("secret", e.field());
        assertEquals(5, e.officialCode().getAsInt());
        assertTrue(e.getMessage().contains("21 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains(bad));
        assertFalse(e.toString().contains(bad));
        assertThrows(InvalidInputException.class, () -> ServerSecret.of(KEY + "x"));
        assertThrows(InvalidInputException.class, () -> ServerSecret.fromBytes(new byte[31]));
    }

    @Test
    void stringCharsAndBytesMakeTheSameKey() throws TokenException {
        byte[] bytes = KEY.getBytes(StandardCharsets.US_ASCII);
        char[] chars = KEY.toCharArray();
        try (ServerSecret a = ServerSecret.of(KEY);
                ServerSecret b = ServerSecret.fromBytes(bytes);
                ServerSecret c = ServerSecret.fromChars(chars)) {
            String token = a.generate(1, "u", Duration.ofSeconds(60));
            assertEquals("u", b.decode(token).userId());
            assertEquals("u", c.decode(token).userId());
        }
        assertEquals(KEY, new String(bytes, StandardCharsets.US_ASCII), "the caller's bytes are kept");
        assertEquals(KEY, new String(chars), "the caller's chars are kept");
    }

    @Test
    void closedSecretRefusesEveryCall() throws TokenException {
        ServerSecret s = ServerSecret.of(KEY);
        String token = s.generate(1, "u", Duration.ofSeconds(60));
        s.close();
        s.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> s.generate(1, "u", Duration.ofSeconds(60)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> s.decode(token));
        assertThrows(IllegalStateException.class, () -> s.verify(token, Validation.forApp(1)));
    }

    @Test
    void noExceptionMentionsTheSecret() throws TokenException {
        try (ServerSecret s = ServerSecret.of(KEY)) {
            String token = s.generate(1, "u", Duration.ofSeconds(60));
            try (ServerSecret other = ServerSecret.of("00000000000000000000000000000000")) {
                String[] messages = {
                    assertThrows(TokenException.class, () -> other.decode(token)).toString(),
                    assertThrows(TokenException.class, () -> s.decode(token + "A")).toString(),
                    assertThrows(TokenException.class,
                            () -> s.verify(token, Validation.forApp(2))).toString(),
                    assertThrows(TokenException.class,
                            () -> s.generate(0, "u", Duration.ofSeconds(1))).toString(),
                };
                for (String m : messages) {
                    assertFalse(m.contains(KEY), m);
                    assertFalse(m.contains(KEY.substring(0, 8)), m);
                }
            }
        }
    }

    @Test
    void anUnclosedSecretIsWipedOnceCollected() throws Exception {
        long before = Reaper.REAPED.get();
        for (int i = 0; i < 10; i++) {
            makeAndDrop();
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Reaper.REAPED.get() < before + 10 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(Reaper.REAPED.get() >= before + 10, "reaped " + (Reaper.REAPED.get() - before));
    }

    private static void makeAndDrop() throws TokenException {
        ServerSecret.of(KEY).generate(1, "u", Duration.ofSeconds(60));
    }

    @Test
    void theLibraryWasLoaded() {
        assertTrue(NativeLibrary.source.equals("jar") || NativeLibrary.source.equals("library-path")
                || NativeLibrary.source.equals("property"), NativeLibrary.source);
        String expected = System.getProperty("zego.token.expectLoadedFrom");
        if (expected != null) {
            assertEquals(expected, NativeLibrary.source);
        }
    }
}
