// A small test harness: each [Test] method of the given classes runs once; the last line
// printed is "N passed, N failed" and the exit code is 1 when anything failed.
using System;
using System.Collections.Generic;
using System.Reflection;

namespace ZegoToken.Tests
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class TestAttribute : Attribute
    {
    }

    public sealed class AssertionException : Exception
    {
        public AssertionException(string message) : base(message)
        {
        }
    }

    public static class Assert
    {
        public static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                throw new AssertionException(what + ": expected <" + expected + ">, got <" + actual + ">");
            }
        }

        public static void True(bool condition, string what)
        {
            if (!condition)
            {
                throw new AssertionException(what);
            }
        }

        public static void Bytes(byte[] expected, byte[] actual, string what)
        {
            Equal(BitConverter.ToString(expected), BitConverter.ToString(actual), what);
        }

        /// <summary>Runs <paramref name="action"/> and returns the exception of type T it throws.</summary>
        public static T Throws<T>(Action action, string what) where T : Exception
        {
            try
            {
                action();
            }
            catch (T e)
            {
                return e;
            }
            catch (Exception e)
            {
                throw new AssertionException(what + ": expected " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message);
            }
            throw new AssertionException(what + ": expected " + typeof(T).Name + ", nothing was thrown");
        }
    }

    public static class Runner
    {
        public static int Run(params Type[] fixtures)
        {
            int passed = 0, failed = 0;
            foreach (Type fixture in fixtures)
            {
                foreach (MethodInfo m in fixture.GetMethods(BindingFlags.Public | BindingFlags.Static))
                {
                    if (m.GetCustomAttributes(typeof(TestAttribute), false).Length == 0)
                    {
                        continue;
                    }
                    string name = fixture.Name + "." + m.Name;
                    try
                    {
                        m.Invoke(null, null);
                        passed++;
                        Console.WriteLine("ok   " + name);
                    }
                    catch (TargetInvocationException e)
                    {
                        failed++;
                        Console.WriteLine("FAIL " + name + ": " + e.InnerException.GetType().Name + ": " + e.InnerException.Message);
                        if (!(e.InnerException is AssertionException))
                        {
                            Console.WriteLine(e.InnerException.StackTrace);
                        }
                    }
                }
            }
            Console.WriteLine(passed + " passed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        }
    }
}
