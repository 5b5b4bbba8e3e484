using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// The certificates of the embedded broker's TLS listener, read from the files <c>Mqtt:Tls</c>
/// names: the broker's own, with its private key, and the CAs device certificates must chain to.
/// A file that is missing, unreadable, in no known format, locked by another password or
/// without the key throws <see cref="InvalidOperationException"/> with a message that starts
/// with the setting's key and names the file, so the start fails with something to act on.
/// </summary>
internal sealed class BrokerCertificates : IDisposable
{
    private BrokerCertificates(X509Certificate2 server, X509Certificate2Collection clientAuthorities)
    {
        Server = server;
        ClientAuthorities = clientAuthorities;
    }

    public X509Certificate2 Server { get; }

    /// <summary>The trust anchors for device certificates; empty when devices present none.</summary>
    public X509Certificate2Collection ClientAuthorities { get; }

    public static BrokerCertificates Load(MqttTlsOptions options)
    {
        var server = LoadServer(options);
        try
        {
            var authorities = options.ClientCertificatesAccepted ? LoadAuthorities(options.ClientCaPath!) : [];
            return new BrokerCertificates(server, authorities);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Server.Dispose();
        foreach (var authority in ClientAuthorities)
        {
            authority.Dispose();
        }
    }

    private static X509Certificate2 LoadServer(MqttTlsOptions options)
    {
        string path = options.CertificatePath!;
        byte[] bytes = Read(path, "Mqtt:Tls:CertificatePath");
        bool hasKeyFile = !string.IsNullOrWhiteSpace(options.KeyPath);
        X509Certificate2 certificate;
        if (IsPem(bytes))
        {
            string keyPath = hasKeyFile ? options.KeyPath! : path;
            if (hasKeyFile)
            {
                Read(keyPath, "Mqtt:Tls:KeyPath");
            }
            try
            {
                using var pem = string.IsNullOrEmpty(options.Password)
                    ? X509Certificate2.CreateFromPemFile(path, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, options.Password, keyPath);
                // A key read from PEM is ephemeral: Linux's TLS takes it, Windows' does not, so the
                // pair goes through PKCS#12 once and is used the same way everywhere.
                certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                string key = hasKeyFile ? "Mqtt:Tls:KeyPath" : "Mqtt:Tls:CertificatePath";
                throw new InvalidOperationException(
                    $"{key}: no private key for the certificate in '{path}' could be read from '{keyPath}' "
                    + $"(a PEM key of that certificate is needed; an encrypted one takes Mqtt:Tls:Password): {e.Message}", e);
            }
        }
        else
        {
            if (hasKeyFile)
            {
                throw new InvalidOperationException(
                    $"Mqtt:Tls:KeyPath is for a PEM certificate; '{path}' is not PEM (a PKCS#12 file holds its key): leave Mqtt:Tls:KeyPath out.");
            }
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12(bytes, options.Password);
            }
            catch (CryptographicException e)
            {
                throw new InvalidOperationException(
                    $"Mqtt:Tls:CertificatePath: '{path}' cannot be opened: it is not a PKCS#12 (.pfx) or PEM certificate, or Mqtt:Tls:Password is not its password ({e.Message}).", e);
            }
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"Mqtt:Tls:CertificatePath: '{path}' holds a certificate without its private key.");
        }
        return certificate;
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        byte[] bytes = Read(path, "Mqtt:Tls:ClientCaPath");
        var authorities = new X509Certificate2Collection();
        try
        {
            if (IsPem(bytes))
            {
                authorities.ImportFromPem(Encoding.ASCII.GetString(bytes));
            }
            else
            {
                authorities.Add(X509CertificateLoader.LoadCertificate(bytes));
            }
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"Mqtt:Tls:ClientCaPath: '{path}' is not a PEM or DER certificate: {e.Message}", e);
        }
        // A device's own certificate in place of its CA would make every other device untrusted.
        if (!authorities.Any(IsAuthority))
        {
            foreach (var certificate in authorities)
            {
                certificate.Dispose();
            }
            throw new InvalidOperationException(
                $"Mqtt:Tls:ClientCaPath: '{path}' holds no CA certificate (one whose basic constraints say it is a CA): give the CA that signs the device certificates.");
        }
        return authorities;
    }

    private static bool IsAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(e => e.CertificateAuthority);

    private static byte[] Read(string path, string key)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{key}: the file '{path}' does not exist.");
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{key}: the file '{path}' cannot be read: {e.Message}", e);
        }
    }

    private static bool IsPem(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }
        return bytes.TrimStart(" \t\r\n"u8).StartsWith("-----BEGIN "u8);
    }
}
