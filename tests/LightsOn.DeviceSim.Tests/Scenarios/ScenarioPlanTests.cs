using System.Buffers;
using System.Text;
using System.Text.Json;
using LightsOn.DeviceSim.Run;
using LightsOn.DeviceSim.Scenarios;
using LightsOn.DeviceSim.Tests.Run;
using LightsOn.Rules;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.DeviceSim.Tests.Scenarios;

/// <summary>What each scenario does to a household's seeded day, and the alert it declares.</summary>
public sealed class ScenarioPlanTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly IReadOnlyList<Household> Households =
        RegistryLoader.Parse(RegistryGeneratorTests.Generate(new RegistrySpec(30, 1, 3)), "registry.json").Households;
    private static readonly RoutineGenerator Generator = new(Households, seed: 4);
    private static readonly long From = Local(2026, 11, 23, 0, 0);
    private static readonly long To = Local(2026, 11, 25, 0, 0);
    private static readonly List<SimMessage> Routine = Generator.Generate(From, To).ToList();

    // h000003: a medium-risk household on the default policy, with one light.
    private const int H = 2;

    [Fact]
    public void Sos_adds_one_press_of_the_households_button_and_expects_an_sos_alert_at_that_moment()
    {
        var (plan, day) = Apply("sos:h000003@2026-11-23T18:30");

        long t = Local(2026, 11, 23, 18, 30);
        var press = Assert.Single(day, m => m.Kind == DeviceKind.Sos);
        Assert.Equal((t, H, "b1"), (press.UtcTicks, press.Household, Households[H].Devices[press.Device].Id));
        var expected = Assert.Single(plan.Expectations);
        Assert.Equal(("h000003", AlertKind.Sos, t), (expected.Household, expected.Kind, expected.DeadlineUtcTicks));
    }

    [Fact]
    public void Fall_fires_the_detector_above_the_households_threshold()
    {
        var (plan, day) = Apply("fall:h000003@2026-11-23T08:05");

        var fall = Assert.Single(day, m => m.Kind == DeviceKind.Fall);
        Assert.True(fall.Number >= Households[H].Policy.FallConfidence);
        Assert.Equal(AlertKind.Fall, Assert.Single(plan.Expectations).Kind);
    }

    [Fact]
    public void No_wake_up_keeps_the_home_still_from_the_morning_window_until_10_30_and_expects_no_morning_activity_at_09_30()
    {
        var (plan, day) = Apply("no-wake-up:h000003@2026-11-24T00:00");

        long quietFrom = Local(2026, 11, 24, 4, 59);
        long quietTo = Local(2026, 11, 24, 10, 30);
        Assert.Contains(Routine, m => m.Household == H && IsActivity(m) && m.UtcTicks > quietFrom && m.UtcTicks < quietTo);
        Assert.DoesNotContain(day, m => m.Household == H && IsActivity(m) && m.UtcTicks > quietFrom && m.UtcTicks < quietTo);
        Assert.Contains(day, m => m.Household == H && m.Kind == DeviceKind.Motion && m.State && m.UtcTicks == quietTo);
        var expected = Assert.Single(plan.Expectations);
        Assert.Equal((AlertKind.NoMorningActivity, Local(2026, 11, 24, 9, 30)), (expected.Kind, expected.DeadlineUtcTicks));
    }

    [Fact]
    public void Lights_not_on_removes_every_light_event_of_that_evening_and_nothing_else()
    {
        var (plan, day) = Apply("lights-not-on:h000003@2026-11-23T18:00");

        long evening = Local(2026, 11, 23, 16, 0);
        long midnight = Local(2026, 11, 24, 0, 0);
        bool Removed(SimMessage m) => m.Household == H && m.Kind == DeviceKind.Light && m.UtcTicks >= evening && m.UtcTicks < midnight;
        Assert.Contains(Routine, Removed);
        Assert.Equal(Routine.Where(m => !Removed(m)), day);
        var expected = Assert.Single(plan.Expectations);
        Assert.Equal((AlertKind.LightsNotOn, Local(2026, 11, 23, 20, 0)), (expected.Kind, expected.DeadlineUtcTicks));
    }

    [Fact]
    public void Wandering_opens_the_door_at_night_only_in_a_household_flagged_wandering_risk()
    {
        var flagged = Households.First(h => h.Flags.Contains("wandering-risk"));
        var plain = Households.First(h => !h.Flags.Contains("wandering-risk"));

        var (plan, day) = Apply($"wandering:{flagged.Id}@2026-11-24T02:10");

        long t = Local(2026, 11, 24, 2, 10);
        Assert.Contains(day, m => Households[m.Household] == flagged && m.Kind == DeviceKind.Door && m.State && m.UtcTicks == t);
        Assert.Equal((AlertKind.NightDoor, t), (plan.Expectations[0].Kind, plan.Expectations[0].DeadlineUtcTicks));
        var refused = Assert.Throws<FormatException>(() => Apply($"wandering:{plain.Id}@2026-11-24T02:10"));
        Assert.Contains("wandering-risk", refused.Message);
        Assert.Throws<FormatException>(() => Apply($"wandering:{flagged.Id}@2026-11-24T12:10"));
    }

    [Fact]
    public void Door_left_open_holds_the_door_open_ten_minutes_past_the_households_window()
    {
        var (plan, day) = Apply("door-left-open:h000003@2026-11-23T10:00");

        long t = Local(2026, 11, 23, 10, 0);
        var window = Households[H].Policy.DoorOpen;
        var door = day.Where(m => m.Household == H && m.Kind == DeviceKind.Door && m.UtcTicks >= t - TimeSpan.TicksPerMinute && m.UtcTicks <= t + window.Ticks + 11 * TimeSpan.TicksPerMinute).ToList();
        Assert.Equal([(t, true), (t + window.Ticks + 10 * TimeSpan.TicksPerMinute, false)], door.Select(m => (m.UtcTicks, m.State)));
        var expected = Assert.Single(plan.Expectations);
        Assert.Equal((AlertKind.DoorLeftOpen, "d1", t + window.Ticks), (expected.Kind, expected.Device, expected.DeadlineUtcTicks));
    }

    [Fact]
    public void Device_offline_silences_the_fall_detector_for_two_hours_while_the_other_devices_keep_reporting()
    {
        var (plan, day) = Apply("device-offline:h000003@2026-11-23T13:00");

        long t = Local(2026, 11, 23, 13, 0);
        int fall = Households[H].IndexOfDevice("f1");
        Assert.DoesNotContain(day, m => m.Household == H && m.Device == fall && m.UtcTicks >= t && m.UtcTicks < t + 2 * TimeSpan.TicksPerHour);
        Assert.Contains(day, m => m.Household == H && m.Device == fall && m.UtcTicks >= t + 2 * TimeSpan.TicksPerHour && m.UtcTicks < t + 3 * TimeSpan.TicksPerHour);
        Assert.Contains(day, m => m.Household == H && m.Device != fall && m.Kind == DeviceKind.Status && m.UtcTicks >= t && m.UtcTicks < t + TimeSpan.TicksPerHour);
        var expected = Assert.Single(plan.Expectations);
        Assert.Equal((AlertKind.DeviceOffline, "f1", t + Households[H].Policy.Heartbeat.Ticks), (expected.Kind, expected.Device, expected.DeadlineUtcTicks));
    }

    [Fact]
    public void Low_battery_reports_five_points_under_the_households_threshold()
    {
        var (plan, day) = Apply("low-battery:h000003@2026-11-23T09:00");

        var low = Assert.Single(day, m => m.Kind == DeviceKind.Status && m.Number < Households[H].Policy.LowBatteryPercent);
        Assert.Equal((Local(2026, 11, 23, 9, 0), 10.0), (low.UtcTicks, low.Number));
        Assert.Equal((AlertKind.LowBattery, "f1"), (plan.Expectations[0].Kind, plan.Expectations[0].Device));
    }

    [Fact]
    public void Inactivity_keeps_the_home_still_an_hour_past_its_window_and_declares_the_checks_that_quiet_misses()
    {
        var (plan, day) = Apply("inactivity:h000003@2026-11-23T10:00");

        long t = Local(2026, 11, 23, 10, 0);
        long window = Households[H].Policy.Inactivity.Ticks; // medium: 16 h, to 02:00
        Assert.DoesNotContain(day, m => m.Household == H && IsActivity(m) && m.UtcTicks > t && m.UtcTicks < t + window + TimeSpan.TicksPerHour);
        Assert.Equal(
            [(AlertKind.LightsNotOn, Local(2026, 11, 23, 20, 0)), (AlertKind.Inactivity, t + window)],
            plan.Expectations.Select(e => (e.Kind, e.DeadlineUtcTicks)));
    }

    [Fact]
    public void Device_faults_send_a_cut_off_payload_a_redelivery_a_skewed_clock_and_a_flood_and_expect_no_alert()
    {
        var (plan, day) = Apply(
            "malformed:h000001@2026-11-23T12:00", "duplicate:h000002@2026-11-23T12:00",
            "clock-skew:h000003@2026-11-23T12:00", "flood:h000004@2026-11-23T12:00");

        long t = Local(2026, 11, 23, 12, 0);
        Assert.Empty(plan.Expectations);
        var malformed = Assert.Single(day, m => m.Fault == MessageFault.Malformed);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(Payload(malformed, 1)));
        var skewed = Assert.Single(day, m => m.Fault == MessageFault.ClockSkew);
        using (var json = JsonDocument.Parse(Payload(skewed, 1)))
        {
            Assert.Equal((t - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond + 3_600_000, json.RootElement.GetProperty("ts").GetInt64());
        }
        int duplicate = day.FindIndex(m => m.Fault == MessageFault.Duplicate);
        Assert.Equal(day[duplicate] with { Fault = MessageFault.None }, day[duplicate - 1]);
        var flood = day.Where(m => m.Household == 3 && m.UtcTicks >= t && m.UtcTicks < t + TimeSpan.TicksPerMinute).ToList();
        Assert.True(flood.Count >= ScenarioPlan.FloodCount, $"{flood.Count} messages in the flood minute");
    }

    [Fact]
    public async Task A_redelivery_goes_out_with_the_seq_of_the_message_it_repeats()
    {
        var (_, day) = Apply("duplicate:h000002@2026-11-23T12:00");
        long t = Local(2026, 11, 23, 12, 0);
        var sink = new RecordingSink(1);
        var time = new FakeTimeProvider(new DateTimeOffset(t, TimeSpan.Zero));
        var clock = new SimClock(time, t, 1);

        await new Publisher(Households, clock, sink).RunAsync(day.Where(m => m.UtcTicks == t && m.Household == 1), CancellationToken.None);

        var sent = sink.Sent.Select(s => s.Payload).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0], sent[1]);
    }

    [Fact]
    public void Households_without_a_scenario_keep_their_routine_and_messages_stay_in_time_order()
    {
        var (plan, day) = Apply(
            "sos:h000001@2026-11-23T18:30", "inactivity:h000002@2026-11-23T09:00", "device-offline:h000003@2026-11-23T13:00",
            "flood:h000004@2026-11-23T12:00", "door-left-open:h000005@2026-11-23T15:00");

        Assert.Equal(Routine.Where(m => m.Household >= 5), day.Where(m => m.Household >= 5));
        Assert.Equal(["h000001", "h000002", "h000003", "h000004", "h000005"], plan.Households.Order());
        for (int i = 1; i < day.Count; i++)
        {
            Assert.True(day[i - 1].UtcTicks <= day[i].UtcTicks, $"message {i} is earlier than message {i - 1}");
        }
    }

    [Fact]
    public void A_scenario_names_its_kind_household_and_local_time_and_a_bad_one_says_what_is_wrong()
    {
        Assert.Equal(new Scenario(ScenarioKind.NoWakeUp, "h000012", new DateTime(2026, 11, 24, 5, 0, 0)), Scenario.Parse("no-wake-up:h000012@2026-11-24T05:00"));
        Assert.Contains("lights-not-on", Assert.Throws<FormatException>(() => Scenario.Parse("dark:h000012@2026-11-24T05:00")).Message);
        Assert.Contains("tomorrow", Assert.Throws<FormatException>(() => Scenario.Parse("sos:h000012@tomorrow")).Message);
        Assert.Contains("h999999", Assert.Throws<FormatException>(() => Apply("sos:h999999@2026-11-23T10:00")).Message);
    }

    [Fact]
    public void A_scenarios_file_takes_objects_or_the_command_lines_strings_and_names_a_bad_entry()
    {
        var read = ScenarioFile.Parse("""[{"kind":"fall","household":"h000003","at":"2026-11-23T08:05"}, "sos:h000001@2026-11-23T18:30"]""", "s.json");

        Assert.Equal([Scenario.Parse("fall:h000003@2026-11-23T08:05"), Scenario.Parse("sos:h000001@2026-11-23T18:30")], read);
        var bad = Assert.Throws<FormatException>(() => ScenarioFile.Parse("""["sos:h000001@2026-11-23T18:30", {"kind":"sos"}]""", "s.json"));
        Assert.Contains("s.json [1]", bad.Message);
    }

    private static (ScenarioPlan Plan, List<SimMessage> Day) Apply(params string[] scenarios)
    {
        var plan = ScenarioPlan.Create(Households, scenarios.Select(Scenario.Parse), Generator);
        return (plan, plan.Apply(Routine, From, To).ToList());
    }

    private static string Payload(SimMessage m, long seq)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MessagePayload.Write(buffer, m, seq);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool IsActivity(SimMessage m) =>
        m.Kind is DeviceKind.Door or DeviceKind.Light || (m.Kind == DeviceKind.Motion && m.State);

    private static long Local(int year, int month, int day, int hour, int minute) =>
        ZonedTime.ToUtcTicks(Shanghai, new DateTime(year, month, day, hour, minute, 0));
}
