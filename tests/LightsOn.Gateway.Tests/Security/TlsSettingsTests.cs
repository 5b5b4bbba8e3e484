using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Gateway.Tests.Spool;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// TLS settings that cannot work stop the gateway at start, with a message that names the key
/// (and the file), before anything listens.
/// </summary>
public sealed class TlsSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestCertificates _pki = TestCertificates.Create();

    public TlsSettingsTests() => _pki.WriteTo(_folder.Path);

    public void Dispose()
    {
        _pki.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_missing_certificate_file_stops_the_start_naming_the_key_and_the_file()
    {
        string missing = Path.Combine(_folder.Path, "no-such.pfx");

        var e = await AssertStartFails<OptionsValidationException>($"--Mqtt:Tls:CertificatePath={missing}");

        Assert.Equal($"Mqtt:Tls:CertificatePath: the file '{missing}' does not exist.", e.Message);
    }

    [Fact]
    public async Task A_wrong_pfx_password_stops_the_start_naming_the_password_key()
    {
        var e = await AssertStartFails<OptionsValidationException>($"--Mqtt:Tls:CertificatePath={PathOf("server.pfx")}", "--Mqtt:Tls:Password=not-it");

        Assert.StartsWith($"Mqtt:Tls:CertificatePath: '{PathOf("server.pfx")}' cannot be opened", e.Message, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Tls:Password is not its password", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pem_certificate_without_its_key_stops_the_start()
    {
        var e = await AssertStartFails<OptionsValidationException>($"--Mqtt:Tls:CertificatePath={PathOf("server.pem")}");

        Assert.StartsWith($"Mqtt:Tls:CertificatePath: no private key for the certificate in '{PathOf("server.pem")}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_is_not_the_certificates_stops_the_start_naming_the_key_path()
    {
        using var other = TestCertificates.Create();
        using var otherFolder = new TempFolder();
        other.WriteTo(otherFolder.Path);

        var e = await AssertStartFails<OptionsValidationException>(
            $"--Mqtt:Tls:CertificatePath={PathOf("server.pem")}", $"--Mqtt:Tls:KeyPath={Path.Combine(otherFolder.Path, "server.key")}");

        Assert.StartsWith("Mqtt:Tls:KeyPath: no private key for the certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_certificate_given_as_the_client_ca_stops_the_start()
    {
        using var device = _pki.IssueDevice("h0001/l1");
        string path = PathOf("device.pem");
        await File.WriteAllTextAsync(path, device.ExportCertificatePem());

        var e = await AssertStartFails<OptionsValidationException>(
            $"--Mqtt:Tls:CertificatePath={PathOf("server.pfx")}", "--Mqtt:Tls:Password=test-password",
            "--Mqtt:Tls:ClientCertificateMode=required", $"--Mqtt:Tls:ClientCaPath={path}");

        Assert.StartsWith($"Mqtt:Tls:ClientCaPath: '{path}' holds no CA certificate", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Mqtt:Port=0", "Mqtt:Port must be a TCP port (1 to 65535), not 0. (0 turns the plain listener off, for TLS only: it needs the TLS listener, Mqtt:Tls:CertificatePath.)")]
    [InlineData("--Mqtt:Tls:ClientCertificateMode=required", "Mqtt:Tls:ClientCertificateMode, Mqtt:Tls:ClientCaPath and Mqtt:Tls:KeyPath need the TLS listener: set Mqtt:Tls:CertificatePath.")]
    [InlineData("--Mqtt:AllowAnonymous=false", "Mqtt:AllowAnonymous=false needs Mqtt:CredentialsPath or device certificates (Mqtt:Tls:ClientCertificateMode)")]
    public async Task A_tls_setting_without_what_it_needs_stops_the_start(string setting, string message)
    {
        var e = await AssertStartFails<OptionsValidationException>(setting);

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Mqtt:Tls:ClientCertificateMode=optional", "Mqtt:Tls:ClientCertificateMode=optional needs Mqtt:Tls:ClientCaPath")]
    [InlineData("--Mqtt:Tls:Port=70000", "Mqtt:Tls:Port must be a TCP port (1 to 65535), not 70000.")]
    [InlineData("--Mqtt:Tls:KeyPath=/etc/some.key", "Mqtt:Tls:KeyPath is for a PEM certificate")]
    public async Task A_bad_setting_beside_a_good_pfx_stops_the_start_naming_its_key(string setting, string message)
    {
        var e = await AssertStartFails<OptionsValidationException>(
            $"--Mqtt:Tls:CertificatePath={PathOf("server.pfx")}", "--Mqtt:Tls:Password=test-password", setting);

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_mode_that_is_not_one_stops_the_start_naming_its_key()
    {
        var e = await AssertStartFails<InvalidOperationException>("--Mqtt:Tls:ClientCertificateMode=sometimes");

        Assert.Contains("'Mqtt:Tls:ClientCertificateMode'", e.Message, StringComparison.Ordinal);
    }

    private string PathOf(string name) => Path.Combine(_folder.Path, name);

    private static async Task<TException> AssertStartFails<TException>(params string[] settings) where TException : Exception
    {
        var logs = new CapturingLoggerProvider();
        await using var app = TestGateway.Build(logs, new FakeTimeProvider(TestGateway.StartTime), [$"--Mqtt:Tls:Port={FreePort.Next()}", .. settings]);

        var e = await Assert.ThrowsAsync<TException>(() => app.StartAsync());

        Assert.DoesNotContain(logs.Entries, l => l.Message.StartsWith("Now listening", StringComparison.Ordinal) || l.EventId.Id == 2651);
        return e;
    }
}
