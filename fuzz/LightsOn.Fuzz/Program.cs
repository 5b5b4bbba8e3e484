using LightsOn.Fuzz;
using SharpFuzz;

switch (args.FirstOrDefault())
{
    case "libfuzzer":
        Fuzzer.LibFuzzer.Run(DecoderTarget.Run);
        return 0;
    case "afl":
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            DecoderTarget.Run(buffer.ToArray());
        });
        return 0;
    case "replay" when args.Length > 1:
        return DecoderTarget.Replay(args[1..], Console.Out);
    default:
        Console.Error.WriteLine("usage: LightsOn.Fuzz libfuzzer | afl | replay <file or folder>...");
        return 2;
}
