using System.Text;
using LightsOn.Gateway.Tests.Spool;
using LightsOn.Gateway.Webhooks;
using Microsoft.Extensions.Logging;

namespace LightsOn.Gateway.Tests.Webhooks;

public sealed class WebhookOutboxTests
{
    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public void Events_come_back_oldest_first_and_done_ones_stay_done_after_reopening()
    {
        using var folder = new TempFolder();
        using (var outbox = Open(folder.Path))
        {
            outbox.Append([Item(11), Item(12), Item(13)]);
            Assert.Equal(3, outbox.Count);
            Assert.Equal(11, Take(outbox).EventId);
            Assert.Equal(12, Take(outbox).EventId);
        }

        using (var reopened = Open(folder.Path))
        {
            Assert.Equal(1, reopened.Count);
            var record = Take(reopened);
            Assert.Equal(13, record.EventId);
            Assert.Equal(Item(13).Body, record.Body);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Item(13).QueuedAtUnixMs), record.QueuedAt);
            Assert.Null(reopened.Peek());
        }
    }

    [Fact]
    public void A_record_torn_by_a_crash_mid_append_is_cut_off_and_the_records_before_it_are_kept()
    {
        using var folder = new TempFolder();
        using (var outbox = Open(folder.Path))
        {
            outbox.Append([Item(1), Item(2), Item(3)]);
        }
        string segment = Directory.GetFiles(folder.Path, "*.seg").Order(StringComparer.Ordinal).Last();
        byte[] whole = File.ReadAllBytes(segment);
        int recordSize = whole.Length / 3;
        // The third record half written: its header and part of its body.
        File.WriteAllBytes(segment, whole.AsSpan(0, whole.Length - (recordSize / 2)).ToArray());

        using (var reopened = Open(folder.Path))
        {
            Assert.Equal(2, reopened.Count);
            reopened.Append([Item(4)]);
            Assert.Equal([1L, 2L, 4L], [Take(reopened).EventId, Take(reopened).EventId, Take(reopened).EventId]);
        }
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 2102);
    }

    [Fact]
    public void An_unreadable_cursor_sends_everything_on_disk_again_rather_than_lose_an_event()
    {
        using var folder = new TempFolder();
        using (var outbox = Open(folder.Path))
        {
            outbox.Append([Item(1), Item(2)]);
            Take(outbox);
        }
        File.WriteAllBytes(Path.Combine(folder.Path, "cursor"), [1, 2, 3]);

        using var reopened = Open(folder.Path);

        Assert.Equal(2, reopened.Count);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 2103 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public void Segments_roll_over_and_are_deleted_once_every_event_in_them_is_done()
    {
        using var folder = new TempFolder();
        byte[] body = new byte[100_000];
        using (var outbox = Open(folder.Path))
        {
            for (int batch = 0; batch < 10; batch++)
            {
                outbox.Append([.. Enumerable.Range(batch * 10, 10).Select(id => new OutboxItem(id, 0, body))]);
            }
            Assert.True(Directory.GetFiles(folder.Path, "*.seg").Length >= 2);
            for (int id = 0; id < 100; id++)
            {
                Assert.Equal(id, Take(outbox).EventId);
            }
            outbox.Append([Item(100)]);
            Assert.Single(Directory.GetFiles(folder.Path, "*.seg"));
        }
        using var reopened = Open(folder.Path);
        Assert.Equal(100, Take(reopened).EventId);
    }

    [Fact]
    public void Past_its_bounds_the_outbox_drops_the_oldest_events()
    {
        using var folder = new TempFolder();
        using var outbox = WebhookOutbox.Open(folder.Path, maxEvents: 2, maxBytes: 1 << 20, Logger, "test");

        int dropped = outbox.Append([Item(1), Item(2), Item(3), Item(4)]);

        Assert.Equal(2, dropped);
        Assert.Equal(2, outbox.Dropped);
        Assert.Equal([3L, 4L], [Take(outbox).EventId, Take(outbox).EventId]);
    }

    private ILogger Logger => new LoggerFactory([_logs]).CreateLogger("outbox");

    private WebhookOutbox Open(string folder) => WebhookOutbox.Open(folder, 100_000, 256L << 20, Logger, "test");

    private static OutboxItem Item(long id) =>
        new(id, 1_763_881_200_000 + id, Encoding.UTF8.GetBytes($$"""{"id":"a-{{id}}","kind":"sos"}"""));

    private static OutboxRecord Take(WebhookOutbox outbox)
    {
        var record = outbox.Peek();
        Assert.NotNull(record);
        outbox.Complete(record.Sequence);
        return record;
    }
}
