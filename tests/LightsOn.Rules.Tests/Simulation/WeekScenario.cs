using System.Buffers;
using System.Text.Json;

namespace LightsOn.Rules.Tests.Simulation;

/// <summary>
/// A seeded week of a thousand households: who they are (risk, time zone, flags, devices,
/// their own policy keys), what they do every day, and the incidents injected into it.
/// </summary>
/// <remarks>
/// The week starts on Wednesday 2026-03-25 00:00 UTC, so it spans the night Europe/Berlin
/// moves its clocks forward (Sunday 29 March, 02:00 -> 03:00). Daily times are local to each
/// household; they are turned into UTC here with <see cref="TimeZoneInfo"/>, not with the
/// rules library's own <see cref="ZonedTime"/>, so the two are checked against each other.
/// </remarks>
internal sealed partial class WeekScenario
{
    public static readonly DateTimeOffset Start = new(2026, 3, 25, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Length = TimeSpan.FromDays(7);

    private static readonly string[] Zones = ["Asia/Shanghai", "Asia/Urumqi", "Europe/Berlin", "America/New_York"];

    private readonly Random _random;
    private readonly List<SimHousehold> _households = new();
    private readonly List<Incident> _incidents = new();

    private WeekScenario(int seed) => _random = new Random(seed);

    public long StartTicks => Start.UtcTicks;
    public long EndTicks => (Start + Length).UtcTicks;
    public IReadOnlyList<SimHousehold> Households => _households;
    public IReadOnlyList<Incident> Incidents => _incidents;

    public static WeekScenario Generate(int seed, int households, bool withIncidents)
    {
        var scenario = new WeekScenario(seed);
        for (int i = 0; i < households; i++)
        {
            scenario._households.Add(scenario.NewHousehold(i));
        }
        scenario.PlanAwayPeriods();
        if (withIncidents)
        {
            scenario.PlanIncidents();
        }
        foreach (var household in scenario._households)
        {
            scenario.AddRoutine(household, seed);
            // Stable: steps at one instant keep the order they were written in (light on before off).
            var sorted = household.Steps.OrderBy(s => s.At).ToList();
            household.Steps.Clear();
            household.Steps.AddRange(sorted);
        }
        return scenario;
    }

    public Registry BuildRegistry()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("communities");
            json.WriteStartObject();
            json.WriteString("id", "sim");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("households");
            foreach (var h in _households)
            {
                json.WriteStartObject();
                json.WriteString("id", h.Id);
                json.WriteString("community", "sim");
                json.WriteString("grid", $"g{h.Index % 20:D2}");
                json.WriteString("risk", h.Risk.ToWire());
                json.WriteString("timezone", h.Zone.Id);
                if (h.WanderingRisk)
                {
                    json.WriteStartArray("flags");
                    json.WriteStringValue("wandering-risk");
                    json.WriteEndArray();
                }
                json.WriteStartArray("devices");
                for (int d = 0; d < h.DeviceCount; d++)
                {
                    json.WriteStartObject();
                    json.WriteString("id", h.DeviceId(d));
                    json.WriteString("kind", h.DeviceKindName(d));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                if (h.Policy.HasKeys)
                {
                    h.Policy.WriteKeys(json);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return RegistryLoader.Parse(buffer.WrittenSpan, "week-simulation");
    }

    /// <summary>UTC ticks of a local wall time; a time in a spring-forward gap moves on by the gap.</summary>
    public static long Utc(SimHousehold h, DateOnly day, TimeSpan timeOfDay)
    {
        var local = day.ToDateTime(TimeOnly.MinValue).Add(timeOfDay);
        if (h.Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, h.Zone).Ticks;
    }

    public static DateOnly LocalDay(SimHousehold h, long utcTicks) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(utcTicks, DateTimeKind.Utc), h.Zone));

    public static string Local(SimHousehold h, long utcTicks) =>
        TimeZoneInfo.ConvertTimeFromUtc(new DateTime(utcTicks, DateTimeKind.Utc), h.Zone)
            .ToString("ddd yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private SimHousehold NewHousehold(int index)
    {
        double r = _random.NextDouble();
        var risk = r < 0.3 ? RiskLevel.High : r < 0.7 ? RiskLevel.Medium : RiskLevel.Low;
        double z = _random.NextDouble();
        string zone = z < 0.7 ? Zones[0] : z < 0.8 ? Zones[1] : z < 0.95 ? Zones[2] : Zones[3];
        bool wandering = _random.NextDouble() < 0.2;
        int lights = _random.Next(1, 3);
        var policy = _random.NextDouble() < 0.3 ? RandomKeys(risk) : new SimPolicy(risk);
        var h = new SimHousehold(index, risk, TimeZoneInfo.FindSystemTimeZoneById(zone), wandering, lights, policy);
        for (int d = 0; d < h.DeviceCount; d++)
        {
            h.BeatPhase[d] = _random.NextInt64(SimHousehold.HeartbeatEvery.Ticks);
            h.BatteryStart[d] = 40 + 60 * _random.NextDouble();
            // Drains over the week, but never down to the low-battery threshold.
            double floor = Math.Max(policy.LowBatteryPercent, 15) + 3;
            double beats = Length.Ticks / SimHousehold.HeartbeatEvery.Ticks;
            h.BatteryDrain[d] = (h.BatteryStart[d] - floor) / beats * _random.NextDouble();
        }
        return h;
    }

    /// <summary>
    /// Policy keys a household may set for itself, each chosen so that the normal routine below
    /// stays inside it: evenings lit 17:00-19:30, up 06:00-08:00, in bed 21:00-22:30 (so at most
    /// 9.5 h without activity), heartbeats every ~10 min, batteries kept above the threshold.
    /// </summary>
    private SimPolicy RandomKeys(RiskLevel risk)
    {
        T? Maybe<T>(params T[] values) where T : struct =>
            _random.NextDouble() < 0.35 ? values[_random.Next(values.Length)] : null;

        bool night = _random.NextDouble() < 0.2;
        return new SimPolicy(risk)
        {
            InactivityHoursKey = Maybe(11.0, 14.0, 20.0),
            EveningFromKey = Maybe(TimeSpan.FromHours(15), TimeSpan.FromHours(17)),
            LightsOnByKey = Maybe(TimeSpan.FromHours(20.5), TimeSpan.FromHours(21)),
            MorningFromKey = Maybe(TimeSpan.FromHours(5.5), TimeSpan.FromHours(6)),
            MorningByKey = Maybe(TimeSpan.FromHours(9), TimeSpan.FromHours(10)),
            NightFromKey = night ? TimeSpan.FromHours(22) : null,
            NightToKey = night ? TimeSpan.FromHours(6) : null,
            DoorOpenMinutesKey = Maybe(20.0, 40.0, 60.0),
            HeartbeatMinutesKey = Maybe(20.0, 45.0, 60.0),
            FallConfidenceKey = Maybe(0.5, 0.8),
            LowBatteryPercentKey = Maybe(12.0, 20.0),
        };
    }

    private TimeSpan Between(double fromHours, double toHours) =>
        TimeSpan.FromHours(fromHours) + TimeSpan.FromSeconds(_random.NextDouble() * (toHours - fromHours) * 3600);
}
