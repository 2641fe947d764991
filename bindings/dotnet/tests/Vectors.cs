using System;
using System.Collections.Generic;
using System.IO;
using Newtonsoft.Json.Linq;

namespace ZegoToken.Tests
{
    /// <summary>The 71 official vectors, read from the core's copy (never copied here).</summary>
    public static class Vectors
    {
        static List<JObject> all;

        /// <summary>The repository root: ZEGO_TOKEN_REPO, else found upwards from the current directory.</summary>
        public static string RepoRoot()
        {
            string env = Environment.GetEnvironmentVariable("ZEGO_TOKEN_REPO");
            if (!string.IsNullOrEmpty(env))
            {
                return env;
            }
            for (string dir = Directory.GetCurrentDirectory(); dir != null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "crates/zego-token/tests/vectors/token04.json")))
                {
                    return dir;
                }
            }
            throw new InvalidOperationException("run the tests inside the repository or set ZEGO_TOKEN_REPO");
        }

        public static List<JObject> All()
        {
            if (all == null)
            {
                string path = Path.Combine(RepoRoot(), "crates/zego-token/tests/vectors/token04.json");
                all = new List<JObject>();
                foreach (JToken v in JArray.Parse(File.ReadAllText(path)))
                {
                    all.Add((JObject)v);
                }
            }
            return all;
        }

        public static string Name(JObject v)
        {
            return (string)v["source"] + "/" + (string)v["case"];
        }

        public static byte[] Hex(string hex)
        {
            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
            }
            return bytes;
        }
    }
}
