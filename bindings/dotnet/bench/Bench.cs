// Stopwatch loop: tokens per second of ZEGO's official .NET algorithm in plain C# (the
// baseline, bench/OfficialToken04.cs: Json.NET per call and System.Security.Cryptography),
// of this package's drop-in call and of its reusable ServerSecret, in the same process,
// one thread. The candidates run interleaved in small batches, so a change of load on the
// machine does not favour one of them; each round prints its ratios, the end the medians.
//
// Baselines: the current official port is AES-GCM through System.Security.Cryptography.AesGcm,
// which Mono compiles but cannot run (PlatformNotSupportedException); there the GCM
// baseline is skipped, said so, and the older official port (AES-CBC through
// RijndaelManaged) is the baseline. On .NET 6+ both run.
//
// Usage: mono ZegoToken.Bench.exe [seconds per round] [rounds]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ZegoServerAssistant;
using ZegoToken;
using ZegoTokenBench;

public static class Bench
{
    const uint App = 1234567890;
    const string Secret = "fa94dd0f974cf2e293728a526b028271";
    const string User = "user1";

    public static int Main(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
        int rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
        string room = "{\"room_id\":\"room1\",\"privilege\":{\"1\":1,\"2\":0},\"stream_id_list\":null}";
        bool gcm = OfficialToken04.GcmAvailable();
        Console.WriteLine("runtime " + Environment.Version + (Type.GetType("Mono.Runtime") != null ? " (Mono)" : "") + ", zego-token " + Token.LibraryVersion
            + ", " + seconds + " s per round, " + rounds + " rounds");
        if (!gcm)
        {
            Console.WriteLine("official GCM baseline: not run (this runtime's AesGcm throws PlatformNotSupportedException); baseline = the older official CBC port");
        }

        using (var secret = new ServerSecret(Secret))
        {
            var ratios = new Dictionary<string, List<double>>();
            foreach (var payload in new[] { Tuple.Create("basic", ""), Tuple.Create("privilege", room) })
            {
                string p = payload.Item2;
                var candidates = new List<Tuple<string, Action>>
                {
                    Tuple.Create<string, Action>("official CBC", () => OfficialToken04.GenerateCbc(App, User, Secret, 3600, p)),
                    Tuple.Create<string, Action>("drop-in", () =>
                    {
                        if (ServerAssistant.GenerateToken04(App, User, Secret, 3600, p).errorInfo.errorCode != ErrorCode.success)
                        {
                            throw new Exception("GenerateToken04 failed");
                        }
                    }),
                    Tuple.Create<string, Action>("ServerSecret", () => secret.Generate(App, User, 3600, p)),
                };
                if (gcm)
                {
                    candidates.Insert(1, Tuple.Create<string, Action>("official GCM", () => OfficialToken04.GenerateGcm(App, User, Secret, 3600, p)));
                }
                foreach (var c in candidates)
                {
                    for (int i = 0; i < 2000; i++)
                    {
                        c.Item2();
                    }
                }
                for (int r = 1; r <= rounds; r++)
                {
                    Dictionary<string, double> rates = Rates(candidates, seconds);
                    string line = payload.Item1.PadRight(9) + " round " + r + ":";
                    foreach (var c in candidates)
                    {
                        line += " | " + c.Item1 + " " + rates[c.Item1].ToString("F0") + "/s";
                    }
                    foreach (string baseline in gcm ? new[] { "official CBC", "official GCM" } : new[] { "official CBC" })
                    {
                        foreach (string ours in new[] { "drop-in", "ServerSecret" })
                        {
                            string key = payload.Item1 + " " + ours + " vs " + baseline;
                            double ratio = rates[ours] / rates[baseline];
                            if (!ratios.ContainsKey(key))
                            {
                                ratios[key] = new List<double>();
                            }
                            ratios[key].Add(ratio);
                            line += " | " + ours + "/" + baseline + " " + ratio.ToString("F2") + "x";
                        }
                    }
                    Console.WriteLine(line);
                }
            }
            foreach (var kv in ratios)
            {
                List<double> sorted = kv.Value.OrderBy(x => x).ToList();
                Console.WriteLine("median ratio " + kv.Key + ": " + sorted[sorted.Count / 2].ToString("F2") + "x");
            }
        }
        return 0;
    }

    static Dictionary<string, double> Rates(List<Tuple<string, Action>> candidates, double seconds)
    {
        const int batch = 200;
        var spent = candidates.ToDictionary(c => c.Item1, c => 0L);
        var calls = candidates.ToDictionary(c => c.Item1, c => 0L);
        var total = Stopwatch.StartNew();
        var watch = new Stopwatch();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            foreach (var c in candidates)
            {
                watch.Restart();
                for (int i = 0; i < batch; i++)
                {
                    c.Item2();
                }
                spent[c.Item1] += watch.ElapsedTicks;
                calls[c.Item1] += batch;
            }
        }
        return candidates.ToDictionary(c => c.Item1, c => calls[c.Item1] / ((double)spent[c.Item1] / Stopwatch.Frequency));
    }
}
