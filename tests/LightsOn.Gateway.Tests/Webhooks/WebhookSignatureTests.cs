using System.Security.Cryptography;
using System.Text;
using LightsOn.Gateway.Webhooks;

namespace LightsOn.Gateway.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    /// <summary>The worked example of docs/webhooks.md, "Verifying a signature".</summary>
    [Fact]
    public void The_worked_example_in_the_docs_checks_out()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"id":"a-1","kind":"sos"}""");

        string signature = WebhookSignature.Compute("whsec-example-0123456789", body);

        Assert.Equal("sha256=8f0e7b94119d53680dced572ffeeaf2df8acc0cc1ce08605af93a5a8e0175401", signature);
    }

    [Fact]
    public void The_receiver_side_check_in_the_docs_accepts_the_signature_and_refuses_a_changed_body()
    {
        const string secret = "whsec-example-0123456789";
        byte[] body = Encoding.UTF8.GetBytes("""{"id":"a-1","kind":"sos"}""");
        string header = WebhookSignature.Compute(secret, body);

        Assert.True(Verify(secret, body, header));
        Assert.False(Verify(secret, Encoding.UTF8.GetBytes("""{"id":"a-1","kind":"fall"}"""), header));
        Assert.False(Verify("another-secret-0123456789", body, header));
    }

    /// <summary>The C# check docs/webhooks.md gives receivers, verbatim.</summary>
    private static bool Verify(string secret, byte[] body, string header)
    {
        byte[] expected = Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(header));
    }
}
