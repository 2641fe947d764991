namespace ZegoToken.Tests
{
    public static class Program
    {
        public static int Main()
        {
            return Runner.Run(typeof(BaselineTests), typeof(VectorTests), typeof(DropInTests), typeof(SecretTests),
                typeof(VerifyTests), typeof(ThreadTests));
        }
    }
}
