using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LightsOn.Rules;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// What a device certificate on the TLS listener must be, and which device it names
/// (docs/security.md, Device certificates). It must chain to one of the CAs of
/// <c>Mqtt:Tls:ClientCaPath</c> — those only, not the machine's trusted roots —, be inside its
/// validity period and, when it lists extended key usages, allow client authentication. Its
/// subject's one common name (CN) is the device's user name, <c>{household}/{device}</c>, and
/// that device must be in the registry.
/// </summary>
/// <remarks>
/// Revocation lists are not consulted: a device certificate stops working when its device
/// leaves the registry, when it expires, or when the CA is replaced.
/// </remarks>
internal sealed class DeviceCertificatePolicy(
    X509Certificate2Collection authorities, ClientCertificateMode mode, Registry registry, string root, TimeProvider time)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");
    private const string CommonName = "2.5.4.3";

    private volatile Registry _registry = registry;

    /// <summary>Names devices by a reloaded registry from now on: a device that left it is refused at its next handshake.</summary>
    public void UseRegistry(Registry changed) => _registry = changed;

    /// <summary>
    /// Checks the certificate a client presented in the TLS handshake (null: none).
    /// </summary>
    /// <param name="offered">The chain the TLS stack built; its extra store holds the intermediates the client sent.</param>
    /// <param name="trustedName">On an expired certificate that otherwise chains to the CA, the CN it carries (the CA vouched for it), for the log.</param>
    /// <returns>Null when the handshake may go on, else why not, with <paramref name="detail"/> for the log.</returns>
    public ConnectRefusal? Check(X509Certificate? certificate, X509Chain? offered, out string detail, out string? trustedName)
    {
        detail = "";
        trustedName = null;
        if (certificate is null)
        {
            if (mode == ClientCertificateMode.Required)
            {
                detail = "no client certificate presented";
                return ConnectRefusal.CertificateMissing;
            }
            return null;
        }
        var presented = certificate as X509Certificate2;
        using var loaded = presented is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        presented ??= loaded!;
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(authorities);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(ClientAuthentication);
        policy.VerificationTime = time.GetUtcNow().UtcDateTime;
        if (offered is not null)
        {
            policy.ExtraStore.AddRange(offered.ChainPolicy.ExtraStore);
        }
        if (chain.Build(presented))
        {
            return null;
        }
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in chain.ChainStatus)
        {
            flags |= status.Status;
        }
        detail = flags.ToString();
        if ((flags & ~X509ChainStatusFlags.NotTimeValid) == X509ChainStatusFlags.NoError)
        {
            trustedName = NameOf(presented);
            return ConnectRefusal.CertificateExpired;
        }
        return ConnectRefusal.CertificateUntrusted;
    }

    /// <summary>The subject's common name when there is exactly one, else null.</summary>
    public static string? NameOf(X509Certificate2 certificate)
    {
        string? name = null;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements || rdn.GetSingleElementType().Value != CommonName)
            {
                continue;
            }
            if (name is not null)
            {
                return null;
            }
            name = rdn.GetSingleElementValue();
        }
        return name;
    }

    /// <summary>The registered device a certificate's name (<c>{household}/{device}</c>) stands for, or null.</summary>
    public DeviceIdentity? DeviceNamed(string? name)
    {
        int slash = name?.IndexOf('/') ?? -1;
        if (slash <= 0)
        {
            return null;
        }
        string household = name![..slash];
        string device = name[(slash + 1)..];
        if (!_registry.TryGetHousehold(household, out var known) || !known.Devices.Any(d => d.Id == device))
        {
            return null;
        }
        return new DeviceIdentity(household, device, Hash: null, $"{root}/{known.Community}/{household}/");
    }
}
