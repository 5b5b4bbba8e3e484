namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// A device the embedded broker knows, with the topic prefix it may publish under
/// (<c>{root}/{community}/{household}/</c>, the community taken from the registry): an entry of
/// the credentials file, with its secret's <see cref="Hash"/>, or a device named by its
/// certificate, whose hash is null (the certificate is its credential).
/// </summary>
internal sealed record DeviceIdentity(string Household, string Device, string? Hash, string TopicPrefix)
{
    /// <summary>The MQTT user name a device connects with: <c>{household}/{device}</c>.</summary>
    public string UserName => UserNameOf(Household, Device);

    public static string UserNameOf(string household, string device) => household + "/" + device;

    /// <summary>
    /// True for <c>{root}/{community}/{household}/{kind}/{device}</c> with this device's own
    /// household and id; the kind is any single level (the decoder checks it against the registry,
    /// and design.md lets a device send <c>status</c> on its own id).
    /// </summary>
    public bool MayPublishOn(ReadOnlySpan<char> topic)
    {
        if (!topic.StartsWith(TopicPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = topic[TopicPrefix.Length..];
        int slash = rest.IndexOf('/');
        return slash > 0 && rest[(slash + 1)..].SequenceEqual(Device);
    }
}
