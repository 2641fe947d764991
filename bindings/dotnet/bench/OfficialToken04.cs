// A plain-C# implementation of ZEGO's official token04 algorithm, the benchmark's
// baseline: a Dictionary serialized by Json.NET per call, AES from
// System.Security.Cryptography, the header packed by hand, as ZEGO's .NET generator
// (token/.net/token04/src/ZegoServerAssistant/GenerateToken.cs) does it, including its
// clock-seeded System.Random nonce and rounded ctime (the weaknesses this package
// replaces).
//
// Two variants: GCM (the current official port: AesGcm and RandomNumberGenerator.Fill,
// .NET Core 3.0+ only; Mono compiles AesGcm but throws PlatformNotSupportedException)
// and CBC (the older official port: RijndaelManaged, a 16-character IV), which Mono runs.
// The drawn values can be fixed so the tests re-derive the official .NET vectors.
using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;

namespace ZegoTokenBench
{
    public static class OfficialToken04
    {
        const string IvAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

        /// <summary>True when this runtime's AesGcm works (not on Mono).</summary>
        public static bool GcmAvailable()
        {
            try
            {
                using (var gcm = new AesGcm(new byte[32]))
                {
                    gcm.Encrypt(new byte[12], new byte[1], new byte[1], new byte[16]);
                }
                return true;
            }
            catch (PlatformNotSupportedException)
            {
                return false;
            }
        }

        /// <summary>The current official call: GCM, a 12-byte nonce from RandomNumberGenerator.</summary>
        public static string GenerateGcm(uint appID, string userID, string secret, long effectiveTimeInSeconds, string payload)
        {
            long ctime = Convert.ToInt64((DateTime.UtcNow - new DateTime(1970, 1, 1, 0, 0, 0, 0)).TotalSeconds);
            long nonce = new Random(unchecked((int)DateTime.Now.Ticks)).Next(0, 0x7fffffff);
            byte[] iv = new byte[12];
            RandomNumberGenerator.Fill(iv);
            return Seal(true, appID, userID, secret, ctime, ctime + effectiveTimeInSeconds, nonce, iv, payload);
        }

        /// <summary>The older official call: CBC, a 16-character IV from a clock-seeded Random.</summary>
        public static string GenerateCbc(uint appID, string userID, string secret, long effectiveTimeInSeconds, string payload)
        {
            long ctime = Convert.ToInt64((DateTime.UtcNow - new DateTime(1970, 1, 1, 0, 0, 0, 0)).TotalSeconds);
            long nonce = new Random(unchecked((int)DateTime.Now.Ticks)).Next(0, 0x7fffffff);
            var ra = new Random(unchecked((int)DateTime.Now.Ticks));
            string iv = "";
            for (int i = 0; i < 16; i++)
            {
                iv += IvAlphabet[ra.Next(0, IvAlphabet.Length)];
            }
            return Seal(false, appID, userID, secret, ctime, ctime + effectiveTimeInSeconds, nonce, Encoding.UTF8.GetBytes(iv), payload);
        }

        /// <summary>The algorithm with every drawn value given.</summary>
        public static string Seal(bool gcm, uint appID, string userID, string secret, long ctime, long expire, long nonce, byte[] iv, string payload)
        {
            var claims = new Dictionary<string, object>();
            claims["app_id"] = appID;
            claims["user_id"] = userID;
            claims["payload"] = payload;
            claims["ctime"] = ctime;
            claims["expire"] = expire;
            claims["nonce"] = nonce;
            byte[] plaintext = Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(claims));
            byte[] key = Encoding.UTF8.GetBytes(secret);

            byte[] ct;
            if (gcm)
            {
                ct = new byte[plaintext.Length + 16];
                byte[] body = new byte[plaintext.Length];
                byte[] tag = new byte[16];
                using (var aes = new AesGcm(key))
                {
                    aes.Encrypt(iv, plaintext, body, tag);
                }
                Buffer.BlockCopy(body, 0, ct, 0, body.Length);
                Buffer.BlockCopy(tag, 0, ct, body.Length, 16);
            }
            else
            {
                using (var rm = new RijndaelManaged { Key = key, IV = iv, Mode = CipherMode.CBC, Padding = PaddingMode.PKCS7 })
                using (var enc = rm.CreateEncryptor())
                {
                    ct = enc.TransformFinalBlock(plaintext, 0, plaintext.Length);
                }
            }

            byte[] token = new byte[8 + 2 + iv.Length + 2 + ct.Length + (gcm ? 1 : 0)];
            int at = 0;
            for (int i = 7; i >= 0; i--)
            {
                token[at++] = (byte)(expire >> (8 * i));
            }
            at = PackBytes(token, at, iv);
            at = PackBytes(token, at, ct);
            if (gcm)
            {
                token[at] = 1;
            }
            return "04" + Convert.ToBase64String(token);
        }

        static int PackBytes(byte[] dest, int at, byte[] value)
        {
            dest[at] = (byte)(value.Length >> 8);
            dest[at + 1] = (byte)value.Length;
            Buffer.BlockCopy(value, 0, dest, at + 2, value.Length);
            return at + 2 + value.Length;
        }
    }
}
