using System.Globalization;
using System.Text;
using LightsOn.Gateway.Tests.Ingest;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// One fuzz case for the device-message decoder, built deterministically from a seed: a topic
/// (valid, mutated or random) and a payload (a valid one for the topic's kind, then mangled the
/// ways broken or hostile devices mangle them), and how the payload arrives in segments.
/// </summary>
internal sealed record DecoderFuzzInput(string Topic, byte[] Payload, int SegmentLength)
{
    private static readonly (string Community, string Household, string Kind, string Device)[] Known =
    [
        ("hp-nanshi", "h0001", "door", "d1"), ("hp-nanshi", "h0001", "light", "l1"),
        ("hp-nanshi", "h0001", "motion", "m1"), ("hp-nanshi", "h0001", "fall", "f1"),
        ("hp-nanshi", "h0001", "sos", "b1"), ("hp-nanshi", "h0001", "status", "d1"),
        ("hp-nanshi", "h0002", "door", "d1"), ("hp-nanshi", "h0002", "status", "l1"),
        ("hp-penglai", "h0003", "motion", "m7"), ("hp-penglai", "h0004", "door", "d1"),
    ];

    private static readonly string[] Fields = ["open", "on", "motion", "lux", "confidence", "battery", "rssi", "ts", "seq", "x", "name"];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "0.5", "-1", "100", "100.0000001", "1e2", "1E-2", "-1e-300", "1e308", "1e309", "-1e309",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "0." + new string('0', 400) + "1", new string('9', 500), "1.7e1",
        "NaN", "Infinity", "-Infinity", "nan", "0x10", "01", "+1", ".5", "5.", "1e", "--1",
    ];

    private static readonly string[] Values = ["true", "false", "null", "\"true\"", "[]", "{}", "[true]", "\"\"", "\"\\u0000\"", "\"\\ud800\""];

    private static readonly string TopicAlphabet = "abcdh0123456789-_/+#$ .\u0000\u00e9\u4eae\ud800";

    public static DecoderFuzzInput From(ulong seed)
    {
        var random = new Random((int)(seed ^ (seed >> 32)));
        var known = Known[random.Next(Known.Length)];
        string topic = random.Next(10) switch
        {
            < 6 => $"lightson/{known.Community}/{known.Household}/{known.Kind}/{known.Device}",
            < 9 => MutateTopic($"lightson/{known.Community}/{known.Household}/{known.Kind}/{known.Device}", random),
            _ => RandomText(random, TopicAlphabet, random.Next(0, 80)),
        };
        byte[] payload = random.Next(20) == 0
            ? RandomBytes(random, random.Next(0, 64))
            : Encoding.UTF8.GetBytes(ValidPayload(known.Kind, random));
        int mutations = random.Next(4) == 0 ? 0 : random.Next(1, 4);
        for (int i = 0; i < mutations; i++)
        {
            payload = Mutate(payload, random);
        }
        return new DecoderFuzzInput(topic, payload, random.Next(1, 9));
    }

    public override string ToString() =>
        $"topic {Topic.Replace("\0", "\\0", StringComparison.Ordinal)} segments of {SegmentLength} payload {Convert.ToHexString(Payload.AsSpan(0, Math.Min(Payload.Length, 256)))}"
        + (Payload.Length > 256 ? $"… ({Payload.Length} bytes)" : "");

    private static string ValidPayload(string kind, Random random)
    {
        var members = new List<string>();
        // Mostly the fields the kind takes, so many cases get past the required-field check.
        string? required = kind switch { "door" => "open", "light" => "on", "motion" => "motion", _ => null };
        if (required is not null && random.Next(5) != 0)
        {
            members.Add($"\"{required}\":{(random.Next(2) == 0 ? "true" : "false")}");
        }
        int extra = random.Next(0, 5);
        for (int i = 0; i < extra; i++)
        {
            string name = Fields[random.Next(Fields.Length)];
            string value = random.Next(3) switch
            {
                0 => Values[random.Next(Values.Length)],
                _ => Numbers[random.Next(Numbers.Length)],
            };
            if (name is "ts" && random.Next(2) == 0)
            {
                value = (IngestRegistry.ReceivedAtMs + random.NextInt64(-2 * 86_400_000L, 2 * 86_400_000L)).ToString(CultureInfo.InvariantCulture);
            }
            else if (name is "seq" or "battery" && random.Next(2) == 0)
            {
                value = random.Next(-5, 120).ToString(CultureInfo.InvariantCulture);
            }
            if (random.Next(8) == 0)
            {
                // The same name escaped: still the same key to the decoder.
                name = string.Concat(name.Select(c => $"\\u{(int)c:x4}"));
            }
            members.Add($"\"{name}\":{value}");
        }
        if (members.Count > 0 && random.Next(6) == 0)
        {
            members.Add(members[random.Next(members.Count)]);
        }
        string json = "{" + string.Join(",", members) + "}";
        if (random.Next(10) == 0)
        {
            int depth = random.Next(1, 200);
            json = $"{{\"x\":{new string('[', depth)}{new string(']', depth)},{json[1..]}";
            if (json.EndsWith(",}", StringComparison.Ordinal))
            {
                json = json[..^2] + "}";
            }
        }
        return json;
    }

    private static byte[] Mutate(byte[] payload, Random random)
    {
        var bytes = new List<byte>(payload);
        switch (random.Next(9))
        {
            case 0 when bytes.Count > 0:
                int flip = random.Next(bytes.Count);
                bytes[flip] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes = bytes.Take(random.Next(bytes.Count)).ToList();
                break;
            case 2:
                // Invalid or overlong UTF-8, a lone continuation byte, an encoded surrogate.
                byte[][] bad = [[0xC0, 0xAF], [0x80], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xBA]];
                bytes.InsertRange(random.Next(bytes.Count + 1), bad[random.Next(bad.Length)]);
                break;
            case 3:
                const string Structural = "{}[]\",:\\ 0-.eE";
                bytes.Insert(random.Next(bytes.Count + 1), (byte)Structural[random.Next(Structural.Length)]);
                break;
            case 4 when bytes.Count > 0:
                bytes.RemoveAt(random.Next(bytes.Count));
                break;
            case 5:
                // Oversized: past the 4096-byte limit, or just under it.
                int size = random.Next(2) == 0 ? 4097 + random.Next(100) : 4096 - bytes.Count;
                if (size > 0 && bytes.Count > 1)
                {
                    bytes.InsertRange(bytes.Count - 1, Encoding.ASCII.GetBytes(",\"pad\":\"" + new string('a', Math.Max(0, size - 9)) + "\""));
                }
                break;
            case 6:
                bytes.AddRange(Encoding.ASCII.GetBytes(random.Next(3) switch { 0 => " {}", 1 => "\u0000", _ => "  \n" }));
                break;
            case 7 when bytes.Count > 0:
                int at = random.Next(bytes.Count);
                bytes.InsertRange(at, bytes.Skip(at).Take(random.Next(1, 16)).ToArray());
                break;
            default:
                bytes = [.. RandomBytes(random, random.Next(0, 32))];
                break;
        }
        return [.. bytes];
    }

    private static string MutateTopic(string topic, Random random)
    {
        var text = new StringBuilder(topic);
        int edits = random.Next(1, 4);
        for (int i = 0; i < edits && text.Length > 0; i++)
        {
            int at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0: text.Remove(at, 1); break;
                case 1: text.Insert(at, TopicAlphabet[random.Next(TopicAlphabet.Length)]); break;
                case 2: text[at] = TopicAlphabet[random.Next(TopicAlphabet.Length)]; break;
                default: text.Insert(at, new string('x', random.Next(1, 100))); break;
            }
        }
        return text.ToString();
    }

    private static string RandomText(Random random, string alphabet, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }
        return new string(chars);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
