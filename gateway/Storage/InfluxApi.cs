namespace LightsOn.Gateway.Storage;

/// <summary>Which InfluxDB HTTP write API the gateway speaks.</summary>
internal enum InfluxApi
{
    /// <summary><c>/write?db=&amp;precision=ms</c>; the database is created at start.</summary>
    V1,

    /// <summary><c>/api/v2/write?org=&amp;bucket=&amp;precision=ms</c> with a token (InfluxDB 2.x and 3.x).</summary>
    V2,
}
