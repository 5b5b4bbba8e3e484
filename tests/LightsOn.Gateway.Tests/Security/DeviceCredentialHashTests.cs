using LightsOn.Gateway.Mqtt;

namespace LightsOn.Gateway.Tests.Security;

public sealed class DeviceCredentialHashTests
{
    [Fact]
    public void A_hash_has_the_documented_form_and_a_fresh_salt_each_time()
    {
        string first = DeviceCredentialHash.Hash("s3cret");
        string second = DeviceCredentialHash.Hash("s3cret");

        string[] parts = first.Split('$');
        Assert.Equal(4, parts.Length);
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.True(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) >= 100_000);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_right_secret_verifies_and_any_other_does_not()
    {
        string hash = DeviceCredentialHash.Hash("s3cret");

        Assert.True(DeviceCredentialHash.Verify("s3cret", hash));
        Assert.False(DeviceCredentialHash.Verify("s3cret ", hash));
        Assert.False(DeviceCredentialHash.Verify("", hash));
        Assert.False(DeviceCredentialHash.VerifyNothing("s3cret"));
    }

    [Fact]
    public void A_hash_made_elsewhere_with_the_same_parameters_verifies()
    {
        // PBKDF2-HMAC-SHA256, 100000 iterations, salt "0123456789abcdef", secret "device-secret".
        byte[] salt = "0123456789abcdef"u8.ToArray();
        byte[] expected = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2("device-secret"u8, salt, 100_000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        string hash = $"pbkdf2-sha256$100000${Convert.ToBase64String(salt)}${Convert.ToBase64String(expected)}";

        Assert.True(DeviceCredentialHash.Verify("device-secret", hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-secret")]
    [InlineData("sha256$100000$MDEyMzQ1Njc4OWFiY2RlZg==$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")]
    [InlineData("pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")]
    [InlineData("pbkdf2-sha256$100000$not base64$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")]
    [InlineData("pbkdf2-sha256$100000$MDEyMzQ1Njc4OWFiY2RlZg==")]
    public void A_malformed_or_weak_hash_is_refused_and_matches_nothing(string hash)
    {
        Assert.False(DeviceCredentialHash.IsWellFormed(hash, out _));
        Assert.False(DeviceCredentialHash.Verify("anything", hash));
    }

    [Fact]
    public void The_simulators_hashes_verify_in_the_gateway()
    {
        string secret = DeviceSim.Credentials.DeviceCredentialHash.NewSecret();

        Assert.True(DeviceCredentialHash.Verify(secret, DeviceSim.Credentials.DeviceCredentialHash.Hash(secret)));
        Assert.Equal(32, secret.Length);
    }

    [Theory]
    [InlineData("lightson/hp-nanshi/h0001/light/l1", true)]
    [InlineData("lightson/hp-nanshi/h0001/status/l1", true)]
    [InlineData("lightson/hp-nanshi/h0002/light/l1", false)]
    [InlineData("lightson/hp-penglai/h0001/light/l1", false)]
    [InlineData("lightson/hp-nanshi/h0001/light/l2", false)]
    [InlineData("lightson/hp-nanshi/h0001/light/l1/x", false)]
    [InlineData("lightson/hp-nanshi/h0001//l1", false)]
    [InlineData("lightson/hp-nanshi/h0001/l1", false)]
    [InlineData("other/hp-nanshi/h0001/light/l1", false)]
    public void A_device_may_publish_on_its_own_topics_only(string topic, bool allowed)
    {
        var device = new DeviceIdentity("h0001", "l1", "unused", "lightson/hp-nanshi/h0001/");

        Assert.Equal(allowed, device.MayPublishOn(topic));
        Assert.Equal("h0001/l1", device.UserName);
    }
}
