using System.CommandLine.Parsing;
using System.Globalization;

namespace LightsOn.DeviceSim;

/// <summary>Checks shared by the simulator's commands, reported by the option's name.</summary>
internal static class OptionValidation
{
    // Reads the token itself: a value that is not a number already has the parser's error,
    // and asking for the converted value here would throw instead of reporting.
    public static void InRange(OptionResult result, int min, int max)
    {
        if (result.Tokens.Count == 1
            && int.TryParse(result.Tokens[0].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            && (value < min || value > max))
        {
            result.AddError($"{result.Option.Name} must be {min} to {max}, not {value}.");
        }
    }
}
