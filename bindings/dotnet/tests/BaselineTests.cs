using Newtonsoft.Json.Linq;
using ZegoTokenBench;

namespace ZegoToken.Tests
{
    /// <summary>
    /// The benchmark's baseline is ZEGO's .NET algorithm: with the official vectors' fixed
    /// clock, nonce and IV its CBC variant gives back the official .NET generator's tokens
    /// byte for byte (the .NET GCM generator needs AesGcm, which Mono lacks, so no
    /// official .NET GCM vector exists).
    /// </summary>
    public static class BaselineTests
    {
        [Test]
        public static void ReDerivesEveryOfficialDotnetVector()
        {
            int checkedCount = 0;
            foreach (JObject v in Vectors.All())
            {
                if ((string)v["source"] != "dotnet-cbc-reference")
                {
                    continue;
                }
                string token = OfficialToken04.Seal(false, (uint)v["app_id"], (string)v["user_id"], (string)v["secret"],
                    (long)v["ctime"], (long)v["expire"], (long)v["nonce"], Vectors.Hex((string)v["iv_hex"]), (string)v["payload"]);
                Assert.Equal((string)v["token"], token, Vectors.Name(v));
                checkedCount++;
            }
            Assert.Equal(5, checkedCount, "the .NET vectors in token04.json");
        }
    }
}
