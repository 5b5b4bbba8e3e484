using System.Buffers;
using System.Text.Json;
using LightsOn.DeviceSim.Run;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Tests.Run;

public sealed class RoutineGeneratorTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    // 50 households (seed 11) include wandering-risk ones and households with their own policy.
    private static readonly Registry Registry = RegistryLoader.Parse(
        RegistryGeneratorTests.Generate(new RegistrySpec(50, 2, 11)), "registry.json");

    // From midnight of one day to noon of the next: a whole day, its evening and night, and the next morning.
    private static readonly long From = Local(2026, 11, 23, 0, 0);
    private static readonly long To = Local(2026, 11, 24, 12, 0);

    private static readonly List<SimMessage> Day = new RoutineGenerator(Registry.Households, seed: 1).Generate(From, To).ToList();

    [Fact]
    public void The_same_seed_gives_the_same_messages_and_another_seed_others()
    {
        var again = new RoutineGenerator(Registry.Households, seed: 1).Generate(From, To).ToList();
        var other = new RoutineGenerator(Registry.Households, seed: 2).Generate(From, To).ToList();

        Assert.Equal(Day, again);
        Assert.NotEqual(Day, other);
    }

    [Fact]
    public void A_stretch_of_a_longer_period_gives_the_same_messages_as_that_stretch_alone()
    {
        long from = Local(2026, 11, 23, 17, 30);
        long to = Local(2026, 11, 24, 7, 15);

        var alone = new RoutineGenerator(Registry.Households, seed: 1).Generate(from, to).ToList();

        Assert.Equal(Day.Where(m => m.UtcTicks >= from && m.UtcTicks < to), alone);
    }

    [Fact]
    public void Messages_come_in_time_order_inside_the_period()
    {
        Assert.NotEmpty(Day);
        Assert.All(Day, m => Assert.InRange(m.UtcTicks, From, To - 1));
        for (int i = 1; i < Day.Count; i++)
        {
            Assert.True(Day[i - 1].UtcTicks <= Day[i].UtcTicks, $"message {i} is earlier than message {i - 1}");
        }
    }

    [Fact]
    public void Every_household_switches_a_light_on_in_its_evening_window_before_20_00_or_its_own_deadline()
    {
        Assert.Contains(Registry.Households, h => h.Policy.LightsOnBy != new TimeOnly(20, 0) || h.Policy.EveningFrom != new TimeOnly(16, 0));
        for (int h = 0; h < Registry.Households.Count; h++)
        {
            var policy = Registry.Households[h].Policy;
            long windowStart = Local(2026, 11, 23, policy.EveningFrom.Hour, policy.EveningFrom.Minute);
            var by = policy.LightsOnBy < new TimeOnly(20, 0) ? policy.LightsOnBy : new TimeOnly(20, 0);
            long deadline = Local(2026, 11, 23, by.Hour, by.Minute);

            Assert.Contains(Day, m => m.Household == h && m.Kind == DeviceKind.Light && m.State
                && m.UtcTicks >= windowStart && m.UtcTicks < deadline);
        }
    }

    [Fact]
    public void Every_household_shows_activity_between_05_00_and_09_30_each_morning()
    {
        for (int h = 0; h < Registry.Households.Count; h++)
        {
            foreach (int day in new[] { 23, 24 })
            {
                long from = Local(2026, 11, day, 5, 0);
                long by = Local(2026, 11, day, 9, 30);
                Assert.Contains(Day, m => m.Household == h && IsActivity(m) && m.UtcTicks >= from && m.UtcTicks < by);
            }
        }
    }

    [Fact]
    public void No_household_is_quiet_for_its_inactivity_window()
    {
        for (int h = 0; h < Registry.Households.Count; h++)
        {
            long last = From;
            foreach (var m in Day.Where(m => m.Household == h && IsActivity(m)))
            {
                Assert.True(m.UtcTicks - last < Registry.Households[h].Policy.Inactivity.Ticks, $"{Registry.Households[h].Id} quiet until {Format(m.UtcTicks)}");
                last = m.UtcTicks;
            }
        }
    }

    [Fact]
    public void Wandering_risk_households_never_open_the_door_in_their_night_window()
    {
        var wandering = Enumerable.Range(0, Registry.Households.Count).Where(h => Registry.Households[h].WanderingRisk).ToList();
        Assert.NotEmpty(wandering);
        foreach (int h in wandering)
        {
            var policy = Registry.Households[h].Policy;
            Assert.DoesNotContain(Day, m => m.Household == h && m.Kind == DeviceKind.Door && m.State
                && InWindow(TimeOnly.FromDateTime(ZonedTime.ToLocal(Shanghai, m.UtcTicks)), policy.NightFrom, policy.NightTo));
        }
    }

    [Fact]
    public void Households_go_out_and_come_back_and_the_door_is_never_left_open()
    {
        Assert.True(Day.Count(m => m.Kind == DeviceKind.Door && m.State) >= 50, "about two in three households go out at least once a day");
        for (int h = 0; h < Registry.Households.Count; h++)
        {
            var door = Day.Where(m => m.Household == h && m.Kind == DeviceKind.Door).ToList();
            Assert.True(door.Count % 2 == 0, $"{Registry.Households[h].Id}: the door ends open");
            for (int i = 0; i < door.Count; i += 2)
            {
                Assert.True(door[i].State && !door[i + 1].State);
                Assert.True(door[i + 1].UtcTicks - door[i].UtcTicks < Registry.Households[h].Policy.DoorOpen.Ticks);
            }
        }
    }

    [Fact]
    public void Some_households_get_up_at_night_with_motion_and_a_light()
    {
        int householdsUpAtNight = Enumerable.Range(0, Registry.Households.Count).Count(h =>
            Day.Any(m => m.Household == h && m.Kind == DeviceKind.Light && m.State
                && m.UtcTicks >= Local(2026, 11, 24, 0, 0) && m.UtcTicks < Local(2026, 11, 24, 5, 0)));
        Assert.InRange(householdsUpAtNight, 10, 49);
    }

    [Fact]
    public void Every_device_sends_a_status_at_least_every_30_minutes()
    {
        long limit = TimeSpan.FromMinutes(30).Ticks;
        for (int h = 0; h < Registry.Households.Count; h++)
        {
            for (int d = 0; d < Registry.Households[h].Devices.Count; d++)
            {
                long last = From;
                foreach (var m in Day.Where(m => m.Household == h && m.Device == d && m.Kind == DeviceKind.Status))
                {
                    Assert.True(m.UtcTicks - last <= limit, $"{Registry.Households[h].Id}/{Registry.Households[h].Devices[d].Id} silent until {Format(m.UtcTicks)}");
                    last = m.UtcTicks;
                }
                Assert.True(To - last <= limit);
            }
        }
    }

    [Fact]
    public void Batteries_drain_slowly_and_stay_at_or_above_15_percent_over_two_years()
    {
        var generator = new RoutineGenerator(Registry.Households, seed: 1);
        Assert.All(Day.Where(m => m.Kind == DeviceKind.Status), m => Assert.InRange(m.Number, 15, 100));
        bool drained = false;
        for (int h = 0; h < 10; h++)
        {
            for (int d = 0; d < Registry.Households[h].Devices.Count; d++)
            {
                double previous = generator.Battery(h, d, From);
                for (int day = 1; day <= 730; day++)
                {
                    double battery = generator.Battery(h, d, From + day * TimeSpan.TicksPerDay);
                    Assert.InRange(battery, 15, 100);
                    Assert.True(battery <= previous || battery >= 95, "a battery only goes up when it is replaced with a fresh one");
                    drained |= battery < previous;
                    previous = battery;
                }
            }
        }
        Assert.True(drained);
    }

    [Fact]
    public void Payloads_carry_ts_seq_and_the_design_fields_with_their_types()
    {
        var seen = new HashSet<DeviceKind>();
        foreach (var m in Day)
        {
            var buffer = new ArrayBufferWriter<byte>();
            MessagePayload.Write(buffer, m, seq: 42);
            using var json = JsonDocument.Parse(buffer.WrittenMemory);
            var root = json.RootElement;

            Assert.Equal((m.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond, root.GetProperty("ts").GetInt64());
            Assert.Equal(42, root.GetProperty("seq").GetInt64());
            switch (m.Kind)
            {
                case DeviceKind.Door:
                    Assert.Equal(m.State, root.GetProperty("open").GetBoolean());
                    break;
                case DeviceKind.Light:
                    Assert.Equal(m.State, root.GetProperty("on").GetBoolean());
                    Assert.True(root.GetProperty("lux").GetDouble() >= 0);
                    break;
                case DeviceKind.Motion:
                    Assert.Equal(m.State, root.GetProperty("motion").GetBoolean());
                    break;
                case DeviceKind.Status:
                    Assert.InRange(root.GetProperty("battery").GetDouble(), 0, 100);
                    Assert.InRange(root.GetProperty("rssi").GetInt32(), -100, 0);
                    break;
                default:
                    Assert.Fail($"a routine does not send {m.Kind}");
                    break;
            }
            seen.Add(m.Kind);
        }
        Assert.Equal([DeviceKind.Door, DeviceKind.Light, DeviceKind.Motion, DeviceKind.Status], seen.Order());
    }

    [Fact]
    public void The_topic_names_community_household_kind_and_device()
    {
        var household = Registry.Households[0];
        int light = household.IndexOfDevice("l1");

        string topic = MessagePayload.Topic("lightson", household, new SimMessage(From, 0, light, DeviceKind.Status));

        Assert.Equal($"lightson/{household.Community}/{household.Id}/status/l1", topic);
    }

    private static bool IsActivity(SimMessage m) =>
        m.Kind is DeviceKind.Door or DeviceKind.Light || (m.Kind == DeviceKind.Motion && m.State);

    private static bool InWindow(TimeOnly t, TimeOnly from, TimeOnly to) =>
        from <= to ? t >= from && t < to : t >= from || t < to;

    private static long Local(int year, int month, int day, int hour, int minute) =>
        ZonedTime.ToUtcTicks(Shanghai, new DateTime(year, month, day, hour, minute, 0));

    private static string Format(long utcTicks) => ZonedTime.ToLocal(Shanghai, utcTicks).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
