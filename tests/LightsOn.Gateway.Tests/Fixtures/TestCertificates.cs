using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LightsOn.Gateway.Tests.Fixtures;

/// <summary>
/// A throwaway PKI for TLS tests, made in memory (nothing committed): a device CA, the broker's
/// certificate for 127.0.0.1 and localhost signed by it, and device certificates on demand.
/// <see cref="WriteTo"/> puts them in a folder as the files the gateway reads (PFX, PEM, key).
/// Validity is on real time (certificates are checked against the wall clock), generous around now.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private TestCertificates(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
    }

    /// <summary>The CA, with its key: it signs the broker's and the devices' certificates.</summary>
    public X509Certificate2 Authority { get; }

    public X509Certificate2 Server { get; }

    public static TestCertificates Create(string authorityName = "LightsOn Test CA")
    {
        var authority = CreateAuthority(authorityName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var signed = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(365), Serial());
        return new TestCertificates(authority, signed.CopyWithPrivateKey(key));
    }

    /// <summary>A self-signed CA, for a certificate from somewhere else.</summary>
    public static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-365), DateTimeOffset.UtcNow.AddDays(3650));
    }

    /// <summary>A device certificate with subject CN <paramref name="commonName"/> (<c>{household}/{device}</c>), with its key.</summary>
    /// <param name="issuer">The CA that signs it: <see cref="Authority"/> unless another is given.</param>
    public X509Certificate2 IssueDevice(string commonName, X509Certificate2? issuer = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("LightsOn test devices");
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuthentication], false));
        using var signed = request.Create(issuer ?? Authority,
            notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(365), Serial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Writes <c>ca.pem</c> (the CA's certificate only), <c>server.pfx</c> (with
    /// <paramref name="pfxPassword"/>), <c>server.pem</c> and <c>server.key</c> into
    /// <paramref name="folder"/>, and returns the folder.
    /// </summary>
    public string WriteTo(string folder, string pfxPassword = "test-password")
    {
        File.WriteAllText(Path.Combine(folder, "ca.pem"), Authority.ExportCertificatePem());
        File.WriteAllBytes(Path.Combine(folder, "server.pfx"), Server.Export(X509ContentType.Pkcs12, pfxPassword));
        File.WriteAllText(Path.Combine(folder, "server.pem"), Server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "server.key"), Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return folder;
    }

    public void Dispose()
    {
        Server.Dispose();
        Authority.Dispose();
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(16);
}
