using LightsOn.Rules;

namespace LightsOn.Gateway.Pipeline;

/// <summary>Stores one <c>alert</c> point per alert change (design.md, Storage).</summary>
internal interface IAlertStore
{
    ValueTask<Task> AppendAlertAsync(AlertRecord alert, string community, string household);
}
