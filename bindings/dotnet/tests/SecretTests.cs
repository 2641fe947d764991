using System;
using System.Linq;

namespace ZegoToken.Tests
{
    /// <summary>The idiomatic API: the secret handle, both modes, the room builder, warnings, kit tokens, and that the secret never shows.</summary>
    public static class SecretTests
    {
        const uint App = 1234567890;
        const string Secret = "fa94dd0f974cf2e293728a526b028271";

        [Test]
        public static void GenerateWithRoundTripsInBothModes()
        {
            using (var s = new ServerSecret(Secret))
            {
                foreach (CipherMode mode in new[] { CipherMode.Gcm, CipherMode.Cbc })
                {
                    GeneratedToken g = s.GenerateWith(App, "user-42", 600, "", mode, 1700000000);
                    Assert.Equal(mode, g.Mode, "mode");
                    Assert.Equal(1700000000L, g.Ctime, "ctime");
                    Assert.Equal(1700000600L, g.Expire, "expire");
                    Assert.Equal(g.Token, g.ToString(), "ToString is the token");
                    DecodedToken d = s.Decode(g.Token);
                    Assert.Equal(App + " user-42 1700000000 1700000600 " + g.Nonce + " " + mode, d.AppId + " " + d.UserId + " " + d.Ctime + " " + d.Expire + " " + d.Nonce + " " + d.Mode, "claims");
                    Assert.Equal(mode == CipherMode.Gcm ? 12 : 16, d.Iv.Length, "iv length");
                }
            }
        }

        [Test]
        public static void GenerateIsGcmAtTheClock()
        {
            using (var s = new ServerSecret(Secret))
            {
                long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                DecodedToken d = s.Decode(s.Generate(App, "user-42", 600));
                Assert.Equal(CipherMode.Gcm, d.Mode, "mode");
                Assert.True(d.Ctime >= before && d.Ctime <= DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "ctime");
                Assert.Equal(d.Ctime + 600, d.Expire, "expire");
            }
        }

        [Test]
        public static void TwoTokensInOneSecondDifferInIv()
        {
            using (var s = new ServerSecret(Secret))
            {
                byte[] a = s.Decode(s.GenerateWith(App, "u", 60, "", CipherMode.Gcm, 1700000000).Token).Iv;
                byte[] b = s.Decode(s.GenerateWith(App, "u", 60, "", CipherMode.Gcm, 1700000000).Token).Iv;
                Assert.True(BitConverter.ToString(a) != BitConverter.ToString(b), "IVs are drawn for every token");
            }
        }

        [Test]
        public static void RoomPayloadBuildsTheOfficialShape()
        {
            Assert.Equal("{\"room_id\":\"room-1\",\"privilege\":{\"1\":1,\"2\":0},\"stream_id_list\":null}", new RoomPayload("room-1").ToJson(), "defaults");
            Assert.Equal("{\"room_id\":\"r\",\"privilege\":{\"1\":0,\"2\":1},\"stream_id_list\":[\"s1\",\"s-2\"]}",
                new RoomPayload("r").DenyLogin().AllowPublish().Stream("s1").Stream("s-2").ToJson(), "streams");
            using (var s = new ServerSecret(Secret))
            {
                string t = s.Generate(App, "u", 60, new RoomPayload("room-1").AllowPublish().Streams(new[] { "a", "b" }));
                DecodedToken d = s.Verify(t, new Validation(App).RoomId("room-1").StreamId("b"));
                Assert.Equal("a,b", string.Join(",", d.Room.StreamIds), "streams");
                Assert.True(d.Room.CanPublish && d.Room.CanLogin, "privileges");
            }
        }

        [Test]
        public static void RoomPayloadRefusesWhatTheSdkRefuses()
        {
            var cases = new[]
            {
                Tuple.Create(new RoomPayload(""), "room_id"),
                Tuple.Create(new RoomPayload(new string('r', 128)), "room_id"),
                Tuple.Create(new RoomPayload("r").Stream("a b"), "stream_id"),
                Tuple.Create(new RoomPayload("r").Stream(new string('s', 256)), "stream_id"),
            };
            foreach (var c in cases)
            {
                var e = Assert.Throws<InvalidInputException>(() => c.Item1.ToJson(), c.Item2);
                Assert.Equal("invalid_input", e.Kind, c.Item2);
                Assert.Equal(c.Item2, e.Field, c.Item2);
                Assert.True(e.Advice.Length > 0, "advice");
            }
        }

        [Test]
        public static void InvalidSecretIsAnInputErrorWithoutTheSecret()
        {
            foreach (string bad in new[] { Secret + "\n", Secret.Substring(2), new string('k', 300), "\uD800" + Secret.Substring(1), null })
            {
                var e = Assert.Throws<InvalidInputException>(() => new ServerSecret(bad), "secret");
                Assert.Equal("secret", e.Field, "field");
                Assert.Equal(5u, e.OfficialCode, "official code");
                Assert.True(!e.ToString().Contains(Secret.Substring(2, 8)), "no secret in " + e.Message);
            }
        }

        [Test]
        public static void NothingPrintsTheSecret()
        {
            using (var s = new ServerSecret(Secret))
            {
                Assert.Equal("ServerSecret(<redacted>)", s.ToString(), "ToString");
                Assert.Equal("ServerSecret(<redacted>)", string.Format("{0}", s), "format");
                // No field of the object holds the secret: only the native handle.
                foreach (var f in typeof(ServerSecret).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public))
                {
                    Assert.True(f.FieldType != typeof(string) && f.FieldType != typeof(byte[]) && f.FieldType != typeof(char[]), "field " + f.Name);
                }
            }
        }

        [Test]
        public static void DisposedSecretRefusesUse()
        {
            var s = new ServerSecret(Secret);
            string t = s.Generate(App, "u", 60);
            s.Dispose();
            s.Dispose();
            Assert.Throws<ObjectDisposedException>(() => s.Decode(t), "decode after Dispose");
            Assert.Throws<ObjectDisposedException>(() => s.Generate(App, "u", 60), "generate after Dispose");
        }

        [Test]
        public static void BadInputsAreTypedErrors()
        {
            using (var s = new ServerSecret(Secret))
            {
                Assert.Equal("mode", Assert.Throws<InvalidInputException>(() => s.GenerateWith(App, "u", 60, "", (CipherMode)7), "mode").Field, "mode");
                Assert.Equal(1u, Assert.Throws<InvalidInputException>(() => s.Generate(0, "u", 60), "app").OfficialCode, "app 0");
                Assert.Equal(3u, Assert.Throws<InvalidInputException>(() => s.Generate(App, "\uDFFF", 60), "user").OfficialCode, "lone surrogate");
                Assert.Equal(6u, Assert.Throws<InvalidInputException>(() => s.Generate(App, "u", 0), "ttl").OfficialCode, "ttl 0");
            }
        }

        [Test]
        public static void WarningsNameTheClientRulesBroken()
        {
            using (var s = new ServerSecret(Secret))
            {
                GeneratedToken g = s.GenerateWith(App, "a b", 30);
                Assert.Equal("user_id_charset,ttl_too_short", string.Join(",", g.Warnings.Select(w => w.Rule)), "rules");
                SdkWarning w0 = g.Warnings[0];
                Assert.Equal("rtc 1002006 True", w0.Product + " " + w0.Code + " " + w0.Blocking, "user_id_charset");
                Assert.True(w0.Message.Contains("U+0020"), w0.Message);
                Assert.Equal(6000108u, g.Warnings[1].Code, "ttl_too_short code");
                Assert.Equal(0, s.GenerateWith(App, "user-42", 3600).Warnings.Count, "no warnings");
                Assert.True(s.Decode(s.Generate(App, "用户", 60)).Warnings.Any(w => w.Rule == "user_id_charset"), "decoded warnings");
            }
        }

        [Test]
        public static void KitTokens()
        {
            using (var s = new ServerSecret(Secret))
            {
                string kit = s.KitToken(App, "u1", "room1", "Zoë D", 3600, new RoomPayload("room1").ToJson());
                string[] parts = kit.Split('#');
                Assert.Equal("{\"userID\":\"u1\",\"roomID\":\"room1\",\"userName\":\"Zo%C3%AB%20D\",\"appID\":1234567890}", Token.DecodeKitInfo(parts[1]), "kit info");
                Assert.Equal(Uri.EscapeDataString("Zoë D"), "Zo%C3%AB%20D", "encodeURIComponent as .NET writes it");
                s.Verify(parts[0], new Validation(App).UserId("u1").RoomId("room1"));
            }
            Assert.Equal("user_id", Assert.Throws<InvalidInputException>(() => Token.KitToken("04AAAA", 1, "用户", "r", "n"), "kit user").Field, "kit user");
            Assert.Throws<InvalidTokenException>(() => Token.DecodeKitInfo("!!not base64"), "kit info");
        }

        [Test]
        public static void LibraryVersion()
        {
            Assert.True(Regex().IsMatch(Token.LibraryVersion), Token.LibraryVersion);
        }

        static System.Text.RegularExpressions.Regex Regex()
        {
            return new System.Text.RegularExpressions.Regex(@"^\d+\.\d+\.\d+");
        }
    }
}
