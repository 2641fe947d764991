using System;

namespace ZegoToken.Tests
{
    /// <summary>Verify and Decode refuse with typed exceptions carrying the stable kind, ZEGO's RTC and ZIM codes and advice.</summary>
    public static class VerifyTests
    {
        const uint App = 1234567890;
        const string Secret = "fa94dd0f974cf2e293728a526b028271";
        const long Now = 1700000000;

        [Test]
        public static void Refusals()
        {
            using (var s = new ServerSecret(Secret))
            using (var other = new ServerSecret("12345678900987654321123456789012"))
            {
                string basic = s.GenerateWith(App, "user-42", 3600, "", CipherMode.Gcm, Now).Token;
                string room = s.GenerateWith(App, "user-42", 3600, new RoomPayload("room-1").Stream("s1"), CipherMode.Gcm, Now).Token;
                string noLogin = s.GenerateWith(App, "user-42", 3600, new RoomPayload("room-1").DenyLogin(), CipherMode.Gcm, Now).Token;
                string publisher = s.GenerateWith(App, "user-42", 3600, new RoomPayload("room-1").AllowPublish().Stream("s1"), CipherMode.Gcm, Now).Token;
                string foreign = other.GenerateWith(App, "user-42", 3600, "", CipherMode.Gcm, Now).Token;
                Func<Validation> v = () => new Validation(App).At(Now + 10);
                var cases = new object[][]
                {
                    new object[] { "wrong app", basic, new Validation(1).At(Now), "app_id_mismatch", 10, 1002076u, 6000103u },
                    new object[] { "wrong user", basic, v().UserId("user-43"), "user_id_mismatch", 11, 1002077u, 6000103u },
                    new object[] { "expired", basic, new Validation(App).At(Now + 7200).Leeway(0), "expired", 8, 1002078u, 6000106u },
                    new object[] { "not yet valid", basic, new Validation(App).At(Now - 3600).Leeway(0), "not_yet_valid", 9, null, null },
                    new object[] { "no room in a basic token", basic, v().RoomId("room-1"), "room_mismatch", 12, 1002033u, null },
                    new object[] { "other room", room, v().RoomId("room-2"), "room_mismatch", 12, 1002033u, null },
                    new object[] { "login denied", noLogin, v().RoomId("room-1"), "privilege_missing", 13, 1002033u, null },
                    new object[] { "publish denied", room, v().RequirePublish(), "privilege_missing", 13, 1003072u, null },
                    new object[] { "stream not listed", publisher, v().StreamId("s2"), "stream_not_allowed", 14, 1003072u, null },
                    new object[] { "other secret", foreign, v(), "decrypt", 5, 1002033u, 6000103u },
                    new object[] { "tampered", Flip(basic, 40), v(), "decrypt", 5, 1002033u, 6000103u },
                    new object[] { "not base64", "04!!!!", v(), "malformed", 4, 1002075u, 6000103u },
                    new object[] { "truncated", basic.Substring(0, 30), v(), "malformed", 4, 1002075u, 6000103u },
                    new object[] { "token03", "03" + basic.Substring(2), v(), "wrong_version", 3, 1002079u, 6000107u },
                    new object[] { "empty", "", v(), "malformed", 4, 1002075u, 6000103u },
                };
                foreach (object[] c in cases)
                {
                    string name = (string)c[0];
                    var e = Assert.Throws<InvalidTokenException>(() => s.Verify((string)c[1], (Validation)c[2]), name);
                    Assert.Equal((string)c[3], e.Kind, name + ": " + e.Message);
                    Assert.Equal((int)c[4], e.Status, name + " status");
                    Assert.Equal((uint?)c[5], e.ZegoCode, name + " ZEGO code");
                    Assert.Equal((uint?)c[6], e.ZimCode, name + " ZIM code");
                    Assert.True(e.OfficialCode == null, name + " official code");
                    Assert.True(e.Message.Length > 0 && e.Advice.Length > 0, name + " message and advice");
                    Assert.True(!e.Message.Contains(Secret) && !e.Advice.Contains(Secret), name + " no secret");
                }
            }
        }

        [Test]
        public static void AcceptsWhatItShould()
        {
            using (var s = new ServerSecret(Secret))
            {
                string t = s.GenerateWith(App, "user-42", 3600, new RoomPayload("room-1").AllowPublish().Stream("s1"), CipherMode.Gcm, Now).Token;
                Assert.Equal("user-42", s.Verify(t, new Validation(App).UserId("user-42").RoomId("room-1").RequirePublish().StreamId("s1").At(Now + 60)).UserId, "all checks");
                // The default leeway tolerates a few seconds of clock difference, at both ends.
                s.Verify(t, new Validation(App).At(Now - 2));
                s.Verify(t, new Validation(App).At(Now + 3600 + 2));
                s.Verify(t, new Validation(App).At(DateTimeOffset.FromUnixTimeSeconds(Now + 100)));
                Assert.Throws<InvalidTokenException>(() => s.Verify(t, new Validation(App).At(Now + 3600 + 60)), "past the leeway");
            }
        }

        [Test]
        public static void DecodeDoesNotJudge()
        {
            using (var s = new ServerSecret(Secret))
            {
                Assert.Equal(1001L, s.Decode(s.GenerateWith(App, "u", 1, "", CipherMode.Gcm, 1000).Token).Expire, "an expired token still decodes");
                Assert.Equal("malformed", Assert.Throws<InvalidTokenException>(() => Token.Inspect("04AAAA"), "inspect").Kind, "inspect");
            }
        }

        static string Flip(string token, int at)
        {
            byte[] body = Convert.FromBase64String(token.Substring(2));
            body[at] ^= 1;
            return "04" + Convert.ToBase64String(body);
        }
    }
}
