using LightsOn.Gateway.Ingest;

namespace LightsOn.Gateway.Tests.Ingest;

public sealed class SequenceWindowTests
{
    [Fact]
    public void The_first_message_is_new()
    {
        var window = new SequenceWindow();

        Assert.True(window.IsEmpty);
        Assert.Equal(SequenceVerdict.New, window.Observe(41));
        Assert.Equal(41, window.Highest);
    }

    [Fact]
    public void A_redelivery_of_the_latest_message_is_a_duplicate()
    {
        var window = new SequenceWindow();
        window.Observe(1, 1000);
        window.Observe(2, 1001);

        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(2, 1001));
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(2));
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(1, 1000));
    }

    [Fact]
    public void Reordered_messages_are_each_accepted_once()
    {
        var window = new SequenceWindow();
        long[] arrivals = [10, 13, 11, 15, 12, 14, 13, 11, 10, 15];
        var accepted = new List<long>();
        foreach (long seq in arrivals)
        {
            if (window.Observe(seq) == SequenceVerdict.New)
            {
                accepted.Add(seq);
            }
        }

        Assert.Equal([10L, 13, 11, 15, 12, 14], accepted);
    }

    [Fact]
    public void Reordering_with_device_times_is_not_taken_for_a_restart()
    {
        var window = new SequenceWindow();
        Assert.Equal(SequenceVerdict.New, window.Observe(5, 5000));

        Assert.Equal(SequenceVerdict.New, window.Observe(4, 4000));
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(4, 4000));
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(5, 5000));
        Assert.Equal(5, window.Highest);
    }

    [Fact]
    public void The_window_remembers_exactly_64_numbers_below_the_highest()
    {
        var window = new SequenceWindow();
        for (long seq = 0; seq <= 100; seq++)
        {
            Assert.Equal(SequenceVerdict.New, window.Observe(seq));
        }

        // 36..99 are the 64 below 100: all duplicates. 35 is below the window: a restart.
        for (long seq = 36; seq <= 100; seq++)
        {
            Assert.Equal(SequenceVerdict.Duplicate, window.Observe(seq));
        }
        Assert.Equal(SequenceVerdict.Restarted, window.Observe(35));
        Assert.Equal(35, window.Highest);
    }

    [Fact]
    public void A_gap_is_filled_later_within_the_window()
    {
        var window = new SequenceWindow();
        window.Observe(0);
        window.Observe(64);

        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(0));
        Assert.Equal(SequenceVerdict.New, window.Observe(1));
        Assert.Equal(SequenceVerdict.New, window.Observe(63));
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(63));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1_000_000)]
    public void A_jump_forward_keeps_only_what_stays_inside_the_window(long jump)
    {
        var window = new SequenceWindow();
        window.Observe(1000);

        Assert.Equal(SequenceVerdict.New, window.Observe(1000 + jump));

        var old = window.Observe(1000);
        Assert.Equal(jump <= 64 ? SequenceVerdict.Duplicate : SequenceVerdict.Restarted, old);
    }

    [Fact]
    public void A_counter_far_below_the_highest_restarts_the_window()
    {
        var window = new SequenceWindow();
        for (long seq = 5000; seq < 5010; seq++)
        {
            window.Observe(seq);
        }

        Assert.Equal(SequenceVerdict.Restarted, window.Observe(0));
        Assert.Equal(SequenceVerdict.New, window.Observe(1));
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(0));
        Assert.Equal(1, window.Highest);
    }

    [Fact]
    public void A_reboot_that_reuses_recent_numbers_is_recognised_by_its_later_device_time()
    {
        var window = new SequenceWindow();
        for (long seq = 0; seq < 10; seq++)
        {
            window.Observe(seq, 1_000 + seq);
        }

        // The device restarted its counter at 0: the numbers are in the window, the time is new.
        Assert.Equal(SequenceVerdict.Restarted, window.Observe(0, 50_000));
        Assert.Equal(SequenceVerdict.New, window.Observe(1, 50_001));
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(1, 50_001));
        // A late redelivery from before the reboot keeps its old time: still below the latest time, so judged by number.
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(0, 1_000));
    }

    [Fact]
    public void Without_device_times_a_reboot_inside_the_window_is_dropped_until_it_passes_the_old_highest()
    {
        var window = new SequenceWindow();
        for (long seq = 0; seq < 10; seq++)
        {
            window.Observe(seq);
        }

        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(0));
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(9));
        Assert.Equal(SequenceVerdict.New, window.Observe(10));
    }

    [Fact]
    public void The_largest_seq_is_handled()
    {
        var window = new SequenceWindow();

        Assert.Equal(SequenceVerdict.New, window.Observe(long.MaxValue));
        Assert.Equal(SequenceVerdict.Duplicate, window.Observe(long.MaxValue));
        Assert.Equal(long.MaxValue, window.Highest);
        Assert.Equal(SequenceVerdict.Restarted, window.Observe(0));
    }

    [Fact]
    public void A_negative_seq_is_a_caller_error()
    {
        var window = new SequenceWindow();

        Assert.Throws<ArgumentOutOfRangeException>(() => window.Observe(-1));
    }

    [Fact]
    public void Windows_kept_in_an_array_are_updated_in_place()
    {
        var windows = new SequenceWindow[2];
        windows[1].Observe(7);

        Assert.True(windows[0].IsEmpty);
        Assert.Equal(SequenceVerdict.Duplicate, windows[1].Observe(7));
    }
}
