using System;
using System.IO;
using System.Text.RegularExpressions;
using ZegoServerAssistant;

namespace ZegoToken.Tests
{
    /// <summary>The official call: same types, fields and codes; its tokens verify in the core; ZEGO's demo runs unchanged.</summary>
    public static class DropInTests
    {
        const uint App = 1234567890;
        const string Secret = "fa94dd0f974cf2e293728a526b028271";

        [Test]
        public static void OfficialCodeValues()
        {
            Assert.Equal("0 1 3 5 6", string.Join(" ", (int)ErrorCode.success, (int)ErrorCode.appIDInvalid, (int)ErrorCode.userIDInvalid,
                (int)ErrorCode.secretInvalid, (int)ErrorCode.effectiveTimeInSecondsInvalid), "codes");
            Assert.Equal(1, (int)AesEncryptMode.AesEncryptModeGCM, "GCM mode byte");
        }

        [Test]
        public static void BasicTokenVerifies()
        {
            long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            GenerateTokenResult r = ServerAssistant.GenerateToken04(App, "user1", Secret, 3600, "");
            Assert.Equal(ErrorCode.success, r.errorInfo.errorCode, "code");
            Assert.Equal("success", r.errorInfo.errorMessage, "message");
            using (var s = new ServerSecret(Secret))
            {
                DecodedToken d = s.Verify(r.token, new Validation(App).UserId("user1"));
                Assert.Equal(CipherMode.Gcm, d.Mode, "mode");
                Assert.Equal("", d.Payload, "payload");
                Assert.Equal(d.Ctime + 3600, d.Expire, "expire");
                // ctime is the current second, never rounded up into the future.
                Assert.True(d.Ctime >= before && d.Ctime <= DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "ctime is now");
            }
            GenerateTokenResult four = ServerAssistant.GenerateToken04(App, "user1", Secret, 60);
            Assert.Equal(ErrorCode.success, four.errorInfo.errorCode, "four-argument overload");
        }

        [Test]
        public static void BadInputsGetTheOfficialCodeAndASpecificMessage()
        {
            string s = Secret;
            var cases = new object[][]
            {
                new object[] { 0u, "u", s, 60L, "", ErrorCode.appIDInvalid, "app_id" },
                new object[] { 1u, "", s, 60L, "", ErrorCode.userIDInvalid, "user_id" },
                new object[] { 1u, null, s, 60L, "", ErrorCode.userIDInvalid, "null" },
                new object[] { 1u, "a\uD800", s, 60L, "", ErrorCode.userIDInvalid, "surrogate" },
                new object[] { 1u, new string('u', 64), s, 60L, "", ErrorCode.userIDInvalid, "user_id" },
                new object[] { 1u, "u", s.Substring(1), 60L, "", ErrorCode.secretInvalid, "secret" },
                new object[] { 1u, "u", s + "\n", 60L, "", ErrorCode.secretInvalid, "secret" },
                new object[] { 1u, "u", null, 60L, "", ErrorCode.secretInvalid, "null" },
                new object[] { 1u, "u", s, 0L, "", ErrorCode.effectiveTimeInSecondsInvalid, "effective_time" },
                new object[] { 1u, "u", s, -5L, "", ErrorCode.effectiveTimeInSecondsInvalid, "effective_time" },
                new object[] { 1u, "u", s, 60L, "\uDC00", ErrorCode.payloadInvalid, "payload" },
                new object[] { 1u, "u", s, 60L, new string('x', 70000), ErrorCode.payloadInvalid, "payload" },
                new object[] { 0u, null, "short", 0L, "", ErrorCode.appIDInvalid, "app_id" },
                new object[] { 1u, null, "short", 0L, "", ErrorCode.userIDInvalid, "null" },
                new object[] { 1u, "u", "short", 0L, "", ErrorCode.secretInvalid, "secret" },
            };
            foreach (object[] c in cases)
            {
                GenerateTokenResult r = ServerAssistant.GenerateToken04((uint)c[0], (string)c[1], (string)c[2], (long)c[3], (string)c[4]);
                string name = "case " + Array.IndexOf(cases, c) + " (" + c[6] + ")";
                Assert.Equal((ErrorCode)c[5], r.errorInfo.errorCode, name);
                Assert.True(r.token == null, name + ": no token");
                Assert.True(r.errorInfo.errorMessage.Contains((string)c[6]), name + ": message \"" + r.errorInfo.errorMessage + "\"");
                Assert.True(!r.errorInfo.errorMessage.Contains(Secret.Substring(0, 8)), name + ": no secret in the message");
            }
        }

        [Test]
        public static void LargestAppIdWorks()
        {
            GenerateTokenResult r = ServerAssistant.GenerateToken04(uint.MaxValue, "u", Secret, 60, "");
            using (var s = new ServerSecret(Secret))
            {
                Assert.Equal(uint.MaxValue, s.Decode(r.token).AppId, "app id");
            }
        }

        /// <summary>ZEGO's demo calls, unchanged (samples/DropInSample.cs), and their tokens verify.</summary>
        [Test]
        public static void OfficialSampleRunsAndItsTokensVerify()
        {
            TextWriter stdout = Console.Out;
            var captured = new StringWriter();
            Console.SetOut(captured);
            try
            {
                DropInSample.Main();
            }
            finally
            {
                Console.SetOut(stdout);
            }
            string output = captured.ToString();
            Match basic = Regex.Match(output, @"^basic: success success (04[A-Za-z0-9+/=]+)$", RegexOptions.Multiline);
            Match rtc = Regex.Match(output, @"^rtc: success success (04[A-Za-z0-9+/=]+)$", RegexOptions.Multiline);
            Assert.True(basic.Success && rtc.Success, "sample output: " + output);

            using (var s = new ServerSecret("fa4b7e22b9c73dcdb6e7f7f116b9102a"))
            {
                Assert.Equal("999922222333333", s.Verify(basic.Groups[1].Value, new Validation(3417014186).UserId("999922222333333")).UserId, "basic");
            }
            using (var s = new ServerSecret("bcdcd0f6e5fd1835487c706b11084a23"))
            {
                DecodedToken d = s.Verify(rtc.Groups[1].Value, new Validation(911619106).UserId("456"));
                Assert.Equal("{\"room_id\":\"0002\",\"stream_id_list\":[\"0002\"],\"privilege\":{\"1\":1,\"2\":2}}", d.Payload, "the demo's payload, as Json.NET wrote it");
                // The demo sets privilege "2" to 2, which ZEGO documents only as 0 or 1:
                // the core refuses to read it as room privileges.
                Assert.True(d.Room == null, "no room privileges read from an out-of-spec payload");
                var e = Assert.Throws<InvalidTokenException>(() => s.Verify(rtc.Groups[1].Value, new Validation(911619106).RoomId("0002")), "room check");
                Assert.Equal("invalid_payload", e.Kind, "kind");
                Assert.Equal(1002075u, e.ZegoCode, "ZEGO code");
            }
        }
    }
}
