using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LightsOn.Gateway.Tests.Spool;
using Microsoft.Extensions.Logging;
using static LightsOn.Gateway.Tests.Webhooks.TestWebhooks;
using Fault = LightsOn.Gateway.Tests.Webhooks.WebhookReceiver.Fault;

namespace LightsOn.Gateway.Tests.Webhooks;

public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task Every_event_arrives_once_in_order_and_signed_after_errors_dropped_connections_and_timeouts()
    {
        using var folder = new TempFolder();
        await using var receiver = await WebhookReceiver.StartAsync(Fault.Status500, Fault.Reset, Fault.Hang, Fault.Status503);
        var logs = new CapturingLoggerProvider();
        var delivery = await StartAsync(Options(folder.Path, Endpoint(receiver.Url)), logs);
        var events = Enumerable.Range(1, 20).Select(id => Event(id)).ToList();

        foreach (var alertEvent in events)
        {
            delivery.OnAlertEvent(alertEvent);
        }
        await receiver.WaitForAcceptedAsync(events.Count);
        await WaitUntil.TrueAsync(() => StatusOf(delivery).Pending == 0, "nothing pending");
        var status = StatusOf(delivery);
        await StopAsync(delivery);

        var accepted = receiver.Accepted;
        Assert.Equal(events.Select(e => e.Id.ToString(CultureInfo.InvariantCulture)), accepted.Select(r => r.EventId));
        for (int i = 0; i < events.Count; i++)
        {
            Assert.Equal(events[i].Json, accepted[i].Body);
            string expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), accepted[i].Body));
            Assert.Equal(expected, accepted[i].Signature);
            Assert.Equal("application/json", accepted[i].ContentType);
            Assert.Equal("LightsOn", accepted[i].UserAgent);
        }
        Assert.Equal(24, receiver.Requests);
        Assert.Equal(new WebhookStatusCounts(Delivered: 20, Retries: 4, GivenUp: 0, Dropped: 0, Pending: 0), WebhookStatusCounts.Of(status));
        Assert.Equal("HTTP 503", status.LastError);
        Assert.NotNull(status.LastErrorAt);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Events_pending_at_stop_are_delivered_in_order_after_a_restart()
    {
        using var folder = new TempFolder();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysStatus = 503;
        var logs = new CapturingLoggerProvider();
        var options = Options(folder.Path, Endpoint(receiver.Url));

        var first = await StartAsync(options, logs);
        for (int id = 1; id <= 5; id++)
        {
            first.OnAlertEvent(Event(id));
        }
        await WaitUntil.TrueAsync(() => receiver.Requests >= 3, "a few failed attempts");
        await StopAsync(first);
        Assert.Empty(receiver.Accepted);

        receiver.AlwaysStatus = null;
        var second = await StartAsync(options, logs);
        Assert.Equal(5, StatusOf(second).Pending);
        second.OnAlertEvent(Event(6));
        second.OnAlertEvent(Event(7));
        await receiver.WaitForAcceptedAsync(7);
        await WaitUntil.TrueAsync(() => StatusOf(second).Pending == 0, "nothing pending");
        await StopAsync(second);

        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], receiver.Accepted.Select(r => r.EventId));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 2101 && e.Message.Contains("5 events pending", StringComparison.Ordinal));

        // Delivered events stay delivered: a third start has nothing to send.
        var third = await StartAsync(options, logs);
        Assert.Equal(0, StatusOf(third).Pending);
        await StopAsync(third);
        Assert.Equal(7, receiver.Accepted.Count);
    }

    [Fact]
    public async Task An_event_not_delivered_within_GiveUpAfter_is_given_up_and_later_events_still_arrive()
    {
        using var folder = new TempFolder();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysStatus = 500;
        var logs = new CapturingLoggerProvider();
        var options = Options(folder.Path, Endpoint(receiver.Url));
        options.GiveUpAfter = TimeSpan.FromSeconds(2);
        var delivery = await StartAsync(options, logs);

        delivery.OnAlertEvent(Event(1));
        delivery.OnAlertEvent(Event(2));
        await WaitUntil.TrueAsync(() => StatusOf(delivery).GivenUp == 2, "both events given up");
        receiver.AlwaysStatus = null;
        delivery.OnAlertEvent(Event(3));
        await receiver.WaitForAcceptedAsync(1);
        await WaitUntil.TrueAsync(() => StatusOf(delivery).Delivered == 1, "event 3 delivered");
        var status = StatusOf(delivery);
        await StopAsync(delivery);

        Assert.Equal(["3"], receiver.Accepted.Select(r => r.EventId));
        Assert.Equal(2, status.GivenUp);
        Assert.Equal(0, status.Pending);
        Assert.True(status.Retries > 0);
        Assert.Equal("HTTP 500", status.LastError);
        var gaveUp = logs.Entries.Where(e => e.EventId.Id == 2110).ToList();
        Assert.Equal([1L, 2L], gaveUp.Select(e => (long)e.Properties["EventId"]!));
        Assert.All(gaveUp, e => Assert.Equal("test", e.Properties["Webhook"]));
        // Never a body (or the secret) in a log line.
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("SOS button", StringComparison.Ordinal) || e.Message.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_with_communities_gets_only_their_events_and_one_without_gets_all()
    {
        using var folder = new TempFolder();
        await using var nanshi = await WebhookReceiver.StartAsync();
        await using var everyone = await WebhookReceiver.StartAsync();
        var logs = new CapturingLoggerProvider();
        var delivery = await StartAsync(Options(folder.Path,
            Endpoint(nanshi.Url, "nanshi", "hp-nanshi"),
            Endpoint(everyone.Url, "district")), logs);

        string[] communities = ["hp-nanshi", "hp-laoximen", "hp-nanshi", "hp-yuyuan", "hp-nanshi"];
        for (int i = 0; i < communities.Length; i++)
        {
            delivery.OnAlertEvent(Event(i + 1, communities[i]));
        }
        await everyone.WaitForAcceptedAsync(5);
        await nanshi.WaitForAcceptedAsync(3);
        await WaitUntil.TrueAsync(() => delivery.Status.All(s => s.Pending == 0), "nothing pending");
        var status = delivery.Status;
        await StopAsync(delivery);

        Assert.Equal(["1", "3", "5"], nanshi.Accepted.Select(r => r.EventId));
        Assert.Equal(["1", "2", "3", "4", "5"], everyone.Accepted.Select(r => r.EventId));
        Assert.Equal(["nanshi", "district"], status.Select(s => s.Name));
        Assert.Equal([3L, 5L], status.Select(s => s.Delivered));
    }

    [Fact]
    public async Task A_full_outbox_drops_the_oldest_events_and_counts_them()
    {
        using var folder = new TempFolder();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysStatus = 503;
        var logs = new CapturingLoggerProvider();
        var options = Options(folder.Path, Endpoint(receiver.Url));
        options.MaxPendingEvents = 3;
        var delivery = await StartAsync(options, logs);

        delivery.OnAlertEvent(Event(1));
        await WaitUntil.TrueAsync(() => receiver.Requests >= 1, "a failed attempt");
        for (int id = 2; id <= 10; id++)
        {
            delivery.OnAlertEvent(Event(id));
        }
        await WaitUntil.TrueAsync(() => StatusOf(delivery).Dropped == 7, "seven events dropped");
        receiver.AlwaysStatus = null;
        await receiver.WaitForAcceptedAsync(3);
        await WaitUntil.TrueAsync(() => StatusOf(delivery).Pending == 0, "nothing pending");
        var status = StatusOf(delivery);
        await StopAsync(delivery);

        // The newest three; before them at most the one attempt that was in flight when its
        // event was dropped, and went through.
        var ids = receiver.Accepted.Select(r => r.EventId).ToList();
        Assert.Equal(["8", "9", "10"], ids.TakeLast(3));
        Assert.InRange(ids.Count, 3, 4);
        Assert.Equal(7, status.Dropped);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 2105);
    }

    [Fact]
    public async Task Stop_lets_the_attempt_in_flight_finish_and_keeps_the_rest_on_disk()
    {
        using var folder = new TempFolder();
        await using var receiver = await WebhookReceiver.StartAsync(Fault.Slow);
        var logs = new CapturingLoggerProvider();
        var options = Options(folder.Path, Endpoint(receiver.Url));
        // Far longer than the slow answer, so the attempt finishes however busy the machine.
        options.RequestTimeout = TimeSpan.FromSeconds(10);
        var delivery = await StartAsync(options, logs);

        for (int id = 1; id <= 3; id++)
        {
            delivery.OnAlertEvent(Event(id));
        }
        await WaitUntil.TrueAsync(() => receiver.Requests >= 1, "the first attempt in flight");
        await StopAsync(delivery);
        Assert.Equal(["1"], receiver.Accepted.Select(r => r.EventId));

        var again = await StartAsync(options, logs);
        Assert.Equal(2, StatusOf(again).Pending);
        await receiver.WaitForAcceptedAsync(3);
        await WaitUntil.TrueAsync(() => StatusOf(again).Pending == 0, "nothing pending");
        await StopAsync(again);
        Assert.Equal(["1", "2", "3"], receiver.Accepted.Select(r => r.EventId));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_second_gateway_on_the_same_outbox_folder_is_refused_naming_Webhooks_Path()
    {
        using var folder = new TempFolder();
        var logs = new CapturingLoggerProvider();
        var options = Options(folder.Path, Endpoint("http://127.0.0.1:9/hook"));
        var first = await StartAsync(options, logs);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(options, logs));

        await StopAsync(first);
        Assert.StartsWith("Webhooks:Path: cannot open the outbox of webhook 'test'", e.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another process", e.Message, StringComparison.Ordinal);
    }
}
