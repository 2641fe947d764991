using System;
using Newtonsoft.Json.Linq;

namespace ZegoToken.Tests
{
    /// <summary>
    /// Every official vector decodes, through the package, to every one of its fields, and
    /// its header reads back without the secret. (The native library draws IVs itself, so
    /// bytes cannot be re-derived through it; BaselineTests re-derives the .NET vectors.)
    /// </summary>
    public static class VectorTests
    {
        [Test]
        public static void AllSeventyOneAreRead()
        {
            Assert.Equal(71, Vectors.All().Count, "vectors");
        }

        [Test]
        public static void EveryVectorDecodesToEveryField()
        {
            foreach (JObject v in Vectors.All())
            {
                string name = Vectors.Name(v);
                using (var secret = new ServerSecret((string)v["secret"]))
                {
                    DecodedToken d = secret.Decode((string)v["token"]);
                    JObject claims = JObject.Parse((string)v["plaintext"]);
                    Assert.Equal((uint)v["app_id"], d.AppId, name + " app_id");
                    Assert.Equal((string)v["user_id"], d.UserId, name + " user_id");
                    Assert.Equal((long)v["ctime"], d.Ctime, name + " ctime");
                    Assert.Equal((long)v["expire"], d.Expire, name + " expire");
                    Assert.Equal((long)v["ctime"] + (long)v["effective_time_in_seconds"], d.Expire, name + " expire = ctime + effective time");
                    Assert.Equal((long)v["expire"], d.HeaderExpire, name + " header expire");
                    Assert.Equal((long)v["nonce"], d.Nonce, name + " nonce");
                    Assert.Equal((string)v["payload"], d.Payload, name + " payload");
                    Assert.Equal((string)claims["payload"], d.Payload, name + " payload as in the plaintext");
                    Assert.Equal((string)v["mode"] == "gcm" ? CipherMode.Gcm : CipherMode.Cbc, d.Mode, name + " mode");
                    Assert.Bytes(Vectors.Hex((string)v["iv_hex"]), d.Iv, name + " iv");

                    JObject payload = null;
                    if ((string)v["payload"] != "")
                    {
                        try
                        {
                            payload = JObject.Parse((string)v["payload"]);
                        }
                        catch (Newtonsoft.Json.JsonReaderException)
                        {
                        }
                    }
                    if (payload != null && payload["room_id"] != null)
                    {
                        Assert.True(d.Room != null, name + " room privileges");
                        Assert.Equal((string)payload["room_id"], d.Room.RoomId, name + " room");
                        Assert.Equal((int?)payload["privilege"]["1"] == 1, d.Room.CanLogin, name + " login");
                        Assert.Equal((int?)payload["privilege"]["2"] == 1, d.Room.CanPublish, name + " publish");
                        JToken list = payload["stream_id_list"];
                        if (list == null || list.Type == JTokenType.Null)
                        {
                            Assert.True(d.Room.StreamIds == null, name + " no stream list");
                        }
                        else
                        {
                            Assert.Equal(string.Join(",", list.ToObject<string[]>()), string.Join(",", d.Room.StreamIds), name + " streams");
                        }
                    }
                    else
                    {
                        Assert.True(d.Room == null, name + " no room privileges");
                    }
                }
            }
        }

        [Test]
        public static void EveryHeaderInspects()
        {
            foreach (JObject v in Vectors.All())
            {
                string name = Vectors.Name(v);
                TokenHeader h = Token.Inspect((string)v["token"]);
                bool gcm = (string)v["mode"] == "gcm";
                int plain = System.Text.Encoding.UTF8.GetByteCount((string)v["plaintext"]);
                Assert.Equal((long)v["expire"], h.Expire, name + " expire");
                Assert.Equal(gcm ? CipherMode.Gcm : CipherMode.Cbc, h.Mode, name + " mode");
                Assert.Equal(gcm, h.HasModeByte, name + " mode byte");
                Assert.Bytes(Vectors.Hex((string)v["iv_hex"]), h.Iv, name + " iv");
                Assert.Equal(gcm ? plain + 16L : (plain / 16 + 1) * 16L, h.CiphertextLength, name + " ciphertext length");
            }
        }

        [Test]
        public static void EveryVectorVerifiesAtItsOwnTime()
        {
            foreach (JObject v in Vectors.All())
            {
                using (var secret = new ServerSecret((string)v["secret"]))
                {
                    DecodedToken d = secret.Verify((string)v["token"], new Validation((uint)v["app_id"]).UserId((string)v["user_id"]).At((long)v["ctime"] + 1));
                    Assert.Equal((long)v["nonce"], d.Nonce, Vectors.Name(v));
                }
            }
        }
    }
}
