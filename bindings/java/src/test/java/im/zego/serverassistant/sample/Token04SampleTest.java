package im.zego.serverassistant.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Collections;

import org.json.simple.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import im.zego.serverassistant.utils.TokenServerAssistant;
import im.zego.token.ServerSecret;
import im.zego.token.TokenException;
import im.zego.token.TokenRejectedException;
import im.zego.token.Validation;

/**
 * ZEGO's official Java samples (Token04Sample, Token04ForRtcRoomSample), their calls
 * unchanged, against the drop-in class; the core's verify checks the tokens they make
 * (in place of the samples' own CBC decrypt, which cannot read GCM tokens), and nothing
 * may be printed.
 */
class Token04SampleTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream out;
    private PrintStream err;

    @BeforeEach
    void capture() throws Exception {
        out = System.out;
        err = System.err;
        PrintStream p = new PrintStream(printed, true, "UTF-8");
        System.setOut(p);
        System.setErr(p);
    }

    @AfterEach
    void restore() {
        System.setOut(out);
        System.setErr(err);
    }

    private void assertNothingPrinted() {
        System.out.flush();
        assertEquals("", printed.toString(), "the drop-in printed something");
    }

    /** Token04Sample.main, without its printing. */
    static TokenServerAssistant.TokenInfo basicSample() {
        long appId = 1222222222L;    // 请替换为你的 appId，从即构控制台获取
        String serverSecret = "12345678900987654321123456789012";  // 请替换为你的 serverSecret
        String userId = "test_user";    // 请替换为用户的 userID，同一 appId 下全网唯一
        int effectiveTimeInSeconds = 300;   // 有效时间，单位：秒
        // 基础鉴权 token，payload字段可传空
        String payload = "{\"payload\":\"payload\"}";  // 填入自定义的payload值
        TokenServerAssistant.VERBOSE = false;
        TokenServerAssistant.TokenInfo token = TokenServerAssistant.generateToken04(appId,  userId, serverSecret, effectiveTimeInSeconds, payload);
        return token;
    }

    /** Token04ForRtcRoomSample.main, without its printing. */
    // The sample fills json-simple's raw-HashMap JSONObject: unchecked calls by design.
    @SuppressWarnings("unchecked")
    static TokenServerAssistant.TokenInfo rtcRoomSample() {
        long appId = 1222222222L;    // 请替换为你的 appId，从即构控制台获取
        String serverSecret = "12345678900987654321123456789012";  // 请替换为你的 serverSecret
        String userId = "test_user";    // 请替换为用户的 userID，同一 appId 下全网唯一
        int effectiveTimeInSeconds = 300;   // 有效时间，单位：秒

        JSONObject payloadData = new JSONObject();
        payloadData.put("room_id", "demo"); // 房间id，限制用户只能登录特定房间
        JSONObject privilege = new JSONObject();
        privilege.put(TokenServerAssistant.PrivilegeKeyLogin, TokenServerAssistant.PrivilegeEnable);
        privilege.put(TokenServerAssistant.PrivilegeKeyPublish, TokenServerAssistant.PrivilegeDisable);
        payloadData.put("privilege", privilege);
        payloadData.put("stream_id_list", null);
        String payload = payloadData.toJSONString();

        TokenServerAssistant.VERBOSE = false;
        TokenServerAssistant.TokenInfo token = TokenServerAssistant.generateToken04(appId,  userId, serverSecret, effectiveTimeInSeconds, payload);
        return token;
    }

    @Test
    void basicSampleMakesATokenTheCoreAccepts() throws TokenException {
        TokenServerAssistant.TokenInfo token = basicSample();
        assertNothingPrinted();
        assertTrue(token.error == null || token.error.code == TokenServerAssistant.ErrorCode.SUCCESS);
        assertEquals("", token.error.message);
        assertEquals(0, token.error.code.value);
        try (ServerSecret secret = ServerSecret.of("12345678900987654321123456789012")) {
            assertEquals("{\"payload\":\"payload\"}", secret.verify(token.data,
                    Validation.forApp(1222222222L).userId("test_user")).payload());
            long life = secret.decode(token.data).expire() - secret.decode(token.data).ctime();
            assertEquals(300, life);
        }
        assertTrue(token.toString().startsWith("TokenInfo {\"error\": {\"code\": 0, \"message\": \"\"}, \"data\": \"04"),
                token.toString());
    }

    @Test
    void rtcRoomSampleMakesAPrivilegeTokenTheCoreAccepts() throws TokenException {
        TokenServerAssistant.TokenInfo token = rtcRoomSample();
        assertNothingPrinted();
        assertEquals(TokenServerAssistant.ErrorCode.SUCCESS, token.error.code);
        try (ServerSecret secret = ServerSecret.of("12345678900987654321123456789012")) {
            Validation v = Validation.forApp(1222222222L).userId("test_user").roomId("demo");
            assertEquals("demo", secret.verify(token.data, v).roomPrivileges().get().roomId());
            TokenRejectedException e = assertThrows(TokenRejectedException.class,
                    () -> secret.verify(token.data, v.requirePublish()));
            assertEquals("privilege_missing", e.kind());
            assertEquals(1003072, e.zegoCode().getAsInt());
        }
    }

    @Test
    void theClassHasTheOfficialShape() throws Exception {
        Class<?> c = TokenServerAssistant.class;
        java.lang.reflect.Method m = c.getMethod("generateToken04", long.class, String.class,
                String.class, int.class, String.class);
        assertTrue(java.lang.reflect.Modifier.isStatic(m.getModifiers()));
        assertEquals(TokenServerAssistant.TokenInfo.class, m.getReturnType());
        assertEquals(Integer.class, c.getField("PrivilegeKeyLogin").getType());
        assertEquals(Integer.class, c.getField("PrivilegeKeyPublish").getType());
        assertEquals(int.class, c.getField("PrivilegeEnable").getType());
        assertEquals(int.class, c.getField("PrivilegeDisable").getType());
        assertEquals(boolean.class, c.getField("VERBOSE").getType());
        assertEquals(1, (int) TokenServerAssistant.PrivilegeKeyLogin);
        assertEquals(2, (int) TokenServerAssistant.PrivilegeKeyPublish);
        assertEquals(1, TokenServerAssistant.PrivilegeEnable);
        assertEquals(0, TokenServerAssistant.PrivilegeDisable);
        assertEquals(String.class, TokenServerAssistant.TokenInfo.class.getField("data").getType());
        assertEquals(TokenServerAssistant.ErrorInfo.class,
                TokenServerAssistant.TokenInfo.class.getField("error").getType());
        assertEquals(TokenServerAssistant.ErrorCode.class,
                TokenServerAssistant.ErrorInfo.class.getField("code").getType());
        assertEquals(String.class, TokenServerAssistant.ErrorInfo.class.getField("message").getType());
        int[] values = new int[TokenServerAssistant.ErrorCode.values().length];
        for (TokenServerAssistant.ErrorCode e : TokenServerAssistant.ErrorCode.values()) {
            values[e.ordinal()] = e.value;
        }
        assertEquals("[0, 1, 3, 5, 6, -1]", java.util.Arrays.toString(values));
        assertEquals("SUCCESS ILLEGAL_APP_ID ILLEGAL_USER_ID ILLEGAL_SECRET ILLEGAL_EFFECTIVE_TIME OTHER",
                String.join(" ", java.util.Arrays.stream(TokenServerAssistant.ErrorCode.values())
                        .map(Enum::name).toArray(String[]::new)));
    }

    @Test
    void officialErrorCodes() {
        String secret = "12345678900987654321123456789012";
        String longUser = String.join("", Collections.nCopies(64, "u"));
        Object[][] cases = {
            {0L, "u", secret, 300, TokenServerAssistant.ErrorCode.ILLEGAL_APP_ID},
            {-1L, "u", secret, 300, TokenServerAssistant.ErrorCode.ILLEGAL_APP_ID},
            {1L, "", secret, 300, TokenServerAssistant.ErrorCode.ILLEGAL_USER_ID},
            {1L, null, secret, 300, TokenServerAssistant.ErrorCode.ILLEGAL_USER_ID},
            {1L, longUser, secret, 300, TokenServerAssistant.ErrorCode.ILLEGAL_USER_ID},
            {1L, "u", secret.substring(1), 300, TokenServerAssistant.ErrorCode.ILLEGAL_SECRET},
            {1L, "u", null, 300, TokenServerAssistant.ErrorCode.ILLEGAL_SECRET},
            {1L, "u", secret, 0, TokenServerAssistant.ErrorCode.ILLEGAL_EFFECTIVE_TIME},
            {1L, "u", secret, -5, TokenServerAssistant.ErrorCode.ILLEGAL_EFFECTIVE_TIME},
            // The official order: the appId is judged before the userId, and so on.
            {0L, "", "", 0, TokenServerAssistant.ErrorCode.ILLEGAL_APP_ID},
            {1L, "", "", 0, TokenServerAssistant.ErrorCode.ILLEGAL_USER_ID},
            {1L, "u", "", 0, TokenServerAssistant.ErrorCode.ILLEGAL_SECRET},
        };
        for (Object[] c : cases) {
            TokenServerAssistant.TokenInfo t = TokenServerAssistant.generateToken04((Long) c[0],
                    (String) c[1], (String) c[2], (Integer) c[3], "");
            String what = java.util.Arrays.toString(c);
            assertEquals(c[4], t.error.code, what);
            assertEquals("", t.data, what);
            assertTrue(!t.error.message.isEmpty(), what);
            if (c[2] != null && !((String) c[2]).isEmpty()) {
                assertTrue(!t.error.message.contains((String) c[2]), what);
            }
        }
        TokenServerAssistant.TokenInfo big = TokenServerAssistant.generateToken04(1L, "u", secret,
                300, String.join("", Collections.nCopies(70000, "p")));
        assertEquals(TokenServerAssistant.ErrorCode.OTHER, big.error.code);
        assertEquals(-1, big.error.code.value);
        TokenServerAssistant.TokenInfo none = TokenServerAssistant.generateToken04(1L, "u", secret,
                300, null);
        assertEquals(TokenServerAssistant.ErrorCode.SUCCESS, none.error.code);
        assertNothingPrinted();
    }
}
