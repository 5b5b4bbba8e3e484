namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>The variants of an end-to-end run, in the order they run and appear in the table.</summary>
internal static class E2eVariants
{
    public const string Mosquitto = "mosquitto";
    public const string Mqttnet = "mqttnet";
    public const string Gateway = "gateway";
    public const string GatewayMosquitto = "gateway-mosquitto";
    public const string InfluxDirect = "influx-direct";
    public const string NodeRed = "node-red";
    public const string NodeRedBatch = "node-red-batch";
    public const string Million = "million";

    public static IReadOnlyList<string> All { get; } = [Mosquitto, Mqttnet, Gateway, GatewayMosquitto, InfluxDirect, NodeRed, NodeRedBatch, Million];

    public static string Describe(string variant) => variant switch
    {
        Mosquitto => "bare Mosquitto, nobody subscribed (the floor)",
        Mqttnet => "bare MQTTnet server, only receives",
        Gateway => "gateway, embedded broker, InfluxDB",
        GatewayMosquitto => "gateway over Mosquitto (Mqtt:Mode=external), InfluxDB",
        InfluxDirect => "the same points straight into InfluxDB, 4 writers, 5,000-point batches",
        NodeRed => "Node-RED flow mqtt in -> influxdb out (a write per message), over Mosquitto",
        NodeRedBatch => "Node-RED flow mqtt in -> join 5,000 points or 0.2 s -> influxdb batch, over Mosquitto",
        Million => "the gateway process alone with a large registry (--million-households, default 1,000,000), no load: memory once ready and settled",
        _ => variant,
    };
}
