using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LightsOn.DeviceSim.Credentials;

namespace LightsOn.DeviceSim.Connection;

/// <summary>
/// The options <c>run</c>, <c>verify</c> and <c>load</c> share for a broker that takes device
/// credentials and TLS: <c>--secrets</c>, <c>--tls</c>, <c>--ca</c> (docs/device-sim.md).
/// </summary>
internal sealed class SecureConnectionOptions
{
    public const int TlsPort = 8883;

    public Option<FileInfo?> Secrets { get; } = new("--secrets")
    {
        Description = "The device secrets file of 'device-sim credentials': every device connects on a connection of its own, as {household}/{device} with its secret",
    };

    public Option<bool> Tls { get; } = new("--tls")
    {
        Description = $"Connect over TLS (the gateway's Mqtt:Tls listener); --port then defaults to {TlsPort}",
    };

    public Option<FileInfo?> Ca { get; } = new("--ca")
    {
        Description = "The CA certificate (PEM or DER) the broker's certificate must chain to, in place of the system's trusted roots; implies --tls",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Secrets);
        command.Options.Add(Tls);
        command.Options.Add(Ca);
    }

    /// <summary>The broker to connect to; null (said on <paramref name="error"/>) when the CA file cannot be used.</summary>
    public BrokerTarget? ReadTarget(ParseResult parse, Option<string> host, Option<int> port, TextWriter error)
    {
        var caFile = parse.GetValue(Ca);
        bool tls = parse.GetValue(Tls) || caFile is not null;
        int portNumber = tls && parse.GetResult(port) is not { Implicit: false } ? TlsPort : parse.GetValue(port);
        X509Certificate2Collection? authorities = null;
        if (caFile is not null)
        {
            try
            {
                authorities = ReadAuthorities(caFile.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or InvalidDataException)
            {
                error.WriteLine($"Cannot use --ca {caFile.FullName}: {e.Message}");
                return null;
            }
        }
        return new BrokerTarget(parse.GetValue(host)!, portNumber, tls, authorities);
    }

    /// <summary>The device secrets, null when none are given; <paramref name="ok"/> false (said on <paramref name="error"/>) when the file cannot be used.</summary>
    public DeviceSecrets? ReadSecrets(ParseResult parse, TextWriter error, out bool ok)
    {
        ok = true;
        if (parse.GetValue(Secrets) is not { } file)
        {
            return null;
        }
        try
        {
            return DeviceSecrets.Read(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"Cannot read the device secrets: {e.Message}");
            ok = false;
            return null;
        }
    }

    private static X509Certificate2Collection ReadAuthorities(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var authorities = new X509Certificate2Collection();
        string text = System.Text.Encoding.ASCII.GetString(bytes);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            authorities.ImportFromPem(text);
        }
        else
        {
            authorities.Add(X509CertificateLoader.LoadCertificate(bytes));
        }
        return authorities.Count > 0 ? authorities : throw new InvalidDataException("no certificate in the file");
    }
}
