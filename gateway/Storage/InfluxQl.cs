using System.Text;

namespace LightsOn.Gateway.Storage;

/// <summary>
/// Quoting for InfluxQL text built from values: identifiers in double quotes, string literals
/// in single quotes, each with the backslash and its own quote escaped. Every value that reaches
/// a query goes through here, validated ids included: validation may change, quoting may not.
/// </summary>
internal static class InfluxQl
{
    public static string Identifier(string name) => Quote(name, '"');

    public static string StringLiteral(string value) => Quote(value, '\'');

    /// <summary>A time bound in Unix milliseconds, as <c>time</c> compares to it.</summary>
    public static string Milliseconds(long unixMs) => unixMs.ToString(System.Globalization.CultureInfo.InvariantCulture) + "ms";

    /// <summary><c>("tag" = 'a' OR "tag" = 'b')</c>; never called with no values.</summary>
    public static string AnyOf(string tag, IEnumerable<string> values)
    {
        var text = new StringBuilder("(");
        foreach (string value in values)
        {
            if (text.Length > 1)
            {
                text.Append(" OR ");
            }
            text.Append(Identifier(tag)).Append(" = ").Append(StringLiteral(value));
        }
        if (text.Length == 1)
        {
            throw new ArgumentException("At least one value is needed.", nameof(values));
        }
        return text.Append(')').ToString();
    }

    private static string Quote(string text, char quote)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = new StringBuilder(text.Length + 2).Append(quote);
        foreach (char c in text)
        {
            // InfluxQL's lexer refuses a raw line break inside quotes; it reads \n back as one.
            switch (c)
            {
                case '\\':
                    quoted.Append(@"\\");
                    break;
                case '\n':
                    quoted.Append(@"\n");
                    break;
                case '\r':
                    // No escape for it in InfluxQL: nothing legitimate carries one.
                    quoted.Append(' ');
                    break;
                default:
                    if (c == quote)
                    {
                        quoted.Append('\\');
                    }
                    quoted.Append(c);
                    break;
            }
        }
        return quoted.Append(quote).ToString();
    }
}
