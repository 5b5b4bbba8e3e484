using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Rules.Tests.Support;

/// <summary>
/// One rules shard on a fake clock, with its alert changes recorded. Local times are read in a
/// household's own time zone; events happen at the clock's current time unless told otherwise.
/// </summary>
internal sealed class EngineHarness
{
    /// <summary>The default day of the tests: a Monday with no daylight-saving change anywhere.</summary>
    public static readonly DateTime Day = new(2026, 11, 23);

    private EngineHarness(Registry registry, long startUtcTicks, RulesOptions? options)
    {
        Registry = registry;
        Clock = new FakeTimeProvider(new DateTimeOffset(startUtcTicks, TimeSpan.Zero));
        Observer = new RecordingObserver();
        Engine = new RulesEngine(registry.Households, Clock, Observer, options);
    }

    public Registry Registry { get; }
    public FakeTimeProvider Clock { get; }
    public RecordingObserver Observer { get; }
    public RulesEngine Engine { get; }

    public long Now => Clock.GetUtcNow().UtcTicks;

    /// <summary>Starts the engine at <paramref name="localStart"/> in the first household's time zone.</summary>
    public static EngineHarness Start(string registryJson, DateTime localStart, RulesOptions? options = null)
    {
        var registry = RegistryLoader.Parse(registryJson, "test");
        return new EngineHarness(registry, ZonedTime.ToUtcTicks(registry.Households[0].Policy.TimeZone, localStart), options);
    }

    /// <summary>One household (see <see cref="TestRegistry.Household"/>) watched from <paramref name="localStart"/>.</summary>
    public static EngineHarness StartOne(DateTime localStart, string? policy = null, string risk = "high",
        string devices = "door:d1,light:l1,motion:m1,fall:f1,sos:b1", string? timezone = "Asia/Shanghai", string? flags = null,
        RulesOptions? options = null) =>
        Start(TestRegistry.Of(TestRegistry.Household(risk: risk, devices: devices, policy: policy, timezone: timezone, flags: flags)),
            localStart, options);

    public static EngineHarness StartAtUtc(string registryJson, DateTimeOffset start, RulesOptions? options = null) =>
        new(RegistryLoader.Parse(registryJson, "test"), start.UtcTicks, options);

    public TimeZoneInfo ZoneOf(int household = 0) => Registry.Households[household].Policy.TimeZone;

    /// <summary>UTC ticks of a local wall-clock time of the household.</summary>
    public long Utc(DateTime local, int household = 0) => ZonedTime.ToUtcTicks(ZoneOf(household), local);

    public DateTime LocalNow(int household = 0) => ZonedTime.ToLocal(ZoneOf(household), Now);

    /// <summary>Moves the clock to a local time of the household and fires what is due.</summary>
    public void AdvanceTo(DateTime local, int household = 0) => AdvanceToUtc(Utc(local, household));

    public void AdvanceToUtc(long utcTicks)
    {
        SetClock(utcTicks);
        Engine.Advance();
    }

    public void AdvanceBy(TimeSpan span) => AdvanceToUtc(Now + span.Ticks);

    /// <summary>Moves the clock without firing deadlines, to deliver an event at that instant first.</summary>
    public void SetClock(DateTime local, int household = 0) => SetClock(Utc(local, household));

    public void SetClock(long utcTicks) => Clock.SetUtcNow(new DateTimeOffset(utcTicks, TimeSpan.Zero));

    public void Door(string device, bool open, int household = 0) =>
        Engine.Process(TelemetryEvent.Door(household, DeviceIndex(household, device), Now, open));

    public void Light(string device, bool on, int household = 0) =>
        Engine.Process(TelemetryEvent.Light(household, DeviceIndex(household, device), Now, on));

    public void Motion(string device, bool motion = true, int household = 0) =>
        Engine.Process(TelemetryEvent.Motion(household, DeviceIndex(household, device), Now, motion));

    public void Fall(string device, double confidence, int household = 0) =>
        Engine.Process(TelemetryEvent.Fall(household, DeviceIndex(household, device), Now, confidence));

    public void Sos(string device, int household = 0) =>
        Engine.Process(TelemetryEvent.Sos(household, DeviceIndex(household, device), Now));

    public void Status(string device, double battery = double.NaN, int household = 0) =>
        Engine.Process(TelemetryEvent.Status(household, DeviceIndex(household, device), Now, battery));

    public int DeviceIndex(int household, string device)
    {
        int index = Registry.Households[household].IndexOfDevice(device);
        return index >= 0 ? index : throw new ArgumentException($"No device {device} in household {household}.", nameof(device));
    }

    /// <summary>The household's open alert of a kind (the first device's for per-device kinds), or null.</summary>
    public Alert? OpenAlert(AlertKind kind, int household = 0) =>
        Engine.OpenAlertsOf(household).FirstOrDefault(a => a.Kind == kind);

    /// <summary>Every alert of the kind raised so far for the household, in order.</summary>
    public IReadOnlyList<AlertRecord> Raised(AlertKind kind, int household = 0) =>
        Changes(AlertChange.Raised, kind, household);

    public IReadOnlyList<AlertRecord> Changes(AlertChange change, AlertKind kind, int household = 0)
    {
        string id = Registry.Households[household].Id;
        return [.. Observer.Events.Where(e => e.Change == change && e.Alert.Kind == kind && e.Alert.Household == id).Select(e => e.Alert)];
    }
}
