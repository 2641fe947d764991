using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using ZegoServerAssistant;

namespace ZegoToken.Tests
{
    /// <summary>One ServerSecret shared by many threads; the drop-in from many threads; Dispose racing with use.</summary>
    public static class ThreadTests
    {
        const uint App = 1234567890;
        const string Secret = "fa94dd0f974cf2e293728a526b028271";

        [Test]
        public static void SharedSecretFromEightThreads()
        {
            const int threads = 8, each = 400;
            var tokens = new ConcurrentBag<string>();
            var errors = new ConcurrentBag<Exception>();
            using (var s = new ServerSecret(Secret))
            {
                Run(threads, t =>
                {
                    for (int i = 0; i < each; i++)
                    {
                        string user = "user-" + t + "-" + i;
                        string token = i % 2 == 0 ? s.Generate(App, user, 600)
                            : ServerAssistant.GenerateToken04(App, user, Secret, 600, "").token;
                        DecodedToken d = s.Verify(token, new Validation(App).UserId(user));
                        if (d.UserId != user)
                        {
                            throw new Exception("token for " + d.UserId + " instead of " + user);
                        }
                        tokens.Add(BitConverter.ToString(d.Iv));
                    }
                }, errors);
            }
            Assert.Equal(0, errors.Count, "errors: " + string.Join("; ", errors));
            Assert.Equal(threads * each, tokens.Count, "tokens");
            Assert.Equal(threads * each, new HashSet<string>(tokens).Count, "every GCM nonce differs");
        }

        [Test]
        public static void DisposeWhileOthersUseIt()
        {
            var errors = new ConcurrentBag<Exception>();
            int disposedSeen = 0, made = 0;
            var s = new ServerSecret(Secret);
            Run(4, t =>
            {
                if (t == 0)
                {
                    Thread.Sleep(20);
                    s.Dispose();
                    return;
                }
                for (int i = 0; i < 100000; i++)
                {
                    try
                    {
                        s.Generate(App, "u", 60);
                        Interlocked.Increment(ref made);
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref disposedSeen);
                        return;
                    }
                }
            }, errors);
            Assert.Equal(0, errors.Count, "errors: " + string.Join("; ", errors));
            Assert.True(made > 0, "tokens were made before Dispose");
            Assert.Equal(3, disposedSeen, "every user thread saw ObjectDisposedException");
        }

        static void Run(int count, Action<int> body, ConcurrentBag<Exception> errors)
        {
            var list = new List<Thread>();
            for (int t = 0; t < count; t++)
            {
                int id = t;
                var th = new Thread(() =>
                {
                    try
                    {
                        body(id);
                    }
                    catch (Exception e)
                    {
                        errors.Add(e);
                    }
                });
                list.Add(th);
                th.Start();
            }
            foreach (Thread th in list)
            {
                th.Join();
            }
        }
    }
}
