using LightsOn.Gateway.Ingest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests.Ingest;

public sealed class RejectionLogLimiterTests
{
    private const string Topic = "lightson/hp-nanshi/h0001/door/d1";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();

    private RejectionLogLimiter Create(int capacity = RejectionLogLimiter.DefaultCapacity) =>
        new(_logs.CreateLogger("ingest"), _time, TimeSpan.FromSeconds(60), capacity);

    [Fact]
    public void A_source_is_logged_once_per_interval_then_with_the_count_suppressed()
    {
        var limiter = Create();

        Assert.True(limiter.ShouldLog("h0001/d1", out long first));
        Assert.Equal(0, first);
        for (int i = 0; i < 5; i++)
        {
            Assert.False(limiter.ShouldLog("h0001/d1", out _));
        }
        _time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1));
        Assert.False(limiter.ShouldLog("h0001/d1", out _));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(limiter.ShouldLog("h0001/d1", out long suppressed));
        Assert.Equal(6, suppressed);
        Assert.False(limiter.ShouldLog("h0001/d1", out _));
    }

    [Fact]
    public void Sources_are_limited_independently()
    {
        var limiter = Create();

        Assert.True(limiter.ShouldLog("h0001/d1", out _));
        Assert.True(limiter.ShouldLog("h0001/l1", out _));
        Assert.True(limiter.ShouldLog("lightson/nowhere", out _));
        Assert.False(limiter.ShouldLog("h0001/d1", out _));
    }

    [Fact]
    public void Report_logs_the_reason_topic_detail_and_suppressed_count_under_event_1401()
    {
        var limiter = Create();
        var rejection = IngestRegistry.Refuse(Topic, "{\"open\":1}");

        limiter.Report(Topic, rejection);
        limiter.Report(Topic, rejection);
        limiter.Report(Topic, IngestRegistry.Refuse(Topic, "{}"));
        _time.Advance(TimeSpan.FromMinutes(1));
        limiter.Report(Topic, rejection);

        var lines = _logs.Entries.ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(1401, l.EventId.Id));
        Assert.All(lines, l => Assert.Equal(LogLevel.Warning, l.Level));
        Assert.Equal("wrong-type", lines[0].Properties["Reason"]);
        Assert.Equal(Topic, lines[0].Properties["Topic"]);
        Assert.Equal("'open' must be true or false", lines[0].Properties["Detail"]);
        Assert.Equal(0L, lines[0].Properties["Suppressed"]);
        Assert.Equal(2L, lines[1].Properties["Suppressed"]);
    }

    [Fact]
    public void A_device_is_one_source_whatever_kind_it_publishes_under()
    {
        var limiter = Create();

        limiter.Report(Topic, IngestRegistry.Refuse(Topic, "{"));
        limiter.Report("lightson/hp-nanshi/h0001/light/d1", IngestRegistry.Refuse("lightson/hp-nanshi/h0001/light/d1", "{}"));
        limiter.Report("lightson/hp-nanshi/h0001/status/d1", IngestRegistry.Refuse("lightson/hp-nanshi/h0001/status/d1", "{\"battery\":-1}"));

        Assert.Single(_logs.Entries);
    }

    [Fact]
    public void Unknown_devices_are_limited_per_topic()
    {
        var limiter = Create();

        limiter.Report("lightson/hp-nanshi/h0001/door/d8", IngestRegistry.Refuse("lightson/hp-nanshi/h0001/door/d8", "{}"));
        limiter.Report("lightson/hp-nanshi/h0001/door/d9", IngestRegistry.Refuse("lightson/hp-nanshi/h0001/door/d9", "{}"));
        limiter.Report("lightson/hp-nanshi/h0001/door/d9", IngestRegistry.Refuse("lightson/hp-nanshi/h0001/door/d9", "{}"));

        Assert.Equal(2, _logs.Entries.Count);
    }

    [Fact]
    public void A_flood_of_distinct_topics_stays_within_capacity_and_logs_one_line_per_interval()
    {
        var limiter = Create(capacity: 100);

        int logged = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (limiter.ShouldLog($"bogus/{i}", out _))
            {
                logged++;
            }
        }

        Assert.Equal(100, limiter.TrackedCount);
        Assert.Equal(101, logged);
    }

    [Fact]
    public void After_a_flood_the_table_empties_out_and_counts_carry_over()
    {
        var limiter = Create(capacity: 10);
        for (int i = 0; i < 10; i++)
        {
            limiter.ShouldLog($"bogus/{i}", out _);
            limiter.ShouldLog($"bogus/{i}", out _);
        }
        Assert.True(limiter.ShouldLog("overflowing", out _));
        Assert.False(limiter.ShouldLog("overflowing-too", out _));

        _time.Advance(TimeSpan.FromMinutes(1));

        // The stale sources are swept: a new source gets its own line again, and the
        // overflow line counts what was suppressed meanwhile, the swept sources' included.
        Assert.True(limiter.ShouldLog("new-source", out long fresh));
        Assert.Equal(0, fresh);
        Assert.Equal(1, limiter.TrackedCount);

        for (int i = 0; i < 9; i++)
        {
            limiter.ShouldLog($"again/{i}", out _);
        }
        Assert.True(limiter.ShouldLog("overflowing-again", out long carried));
        // One overflow suppressed ("overflowing-too") plus one per swept source.
        Assert.Equal(11, carried);
    }

    [Fact]
    public void Long_keys_are_cut_so_each_entry_stays_small()
    {
        var limiter = Create();
        string prefix = new('x', RejectionLogLimiter.MaxKeyLength);

        Assert.True(limiter.ShouldLog(prefix + "a", out _));
        Assert.False(limiter.ShouldLog(prefix + "b", out _));
    }

    [Fact]
    public void Many_threads_count_every_rejection_exactly_once()
    {
        var limiter = Create();
        long logged = 0;

        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                if (limiter.ShouldLog("h0001/d1", out _))
                {
                    Interlocked.Increment(ref logged);
                }
            }
        });
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limiter.ShouldLog("h0001/d1", out long suppressed));

        Assert.Equal(1, logged);
        Assert.Equal(79_999, suppressed);
    }
}
