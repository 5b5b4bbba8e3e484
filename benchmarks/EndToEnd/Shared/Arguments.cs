using System.Globalization;

namespace LightsOn.Benchmarks.EndToEnd.Shared;

/// <summary>
/// <c>--name value</c> options of the end-to-end modes. Deliberately small: these modes are
/// driven by the runner or by a person reading README.md, and a wrong value fails loudly.
/// </summary>
internal sealed class Arguments(string[] args)
{
    public bool Has(string name) => Array.IndexOf(args, name) >= 0;

    public string Text(string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return fallback;
        }
        return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
    }

    public int Int(string name, int fallback) =>
        Has(name) ? int.Parse(Text(name, ""), CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Has(name) ? double.Parse(Text(name, ""), CultureInfo.InvariantCulture) : fallback;
}
