using LightsOn.Gateway.Storage;
using Microsoft.Extensions.Configuration;

namespace LightsOn.Gateway.Tests.Storage;

public class InfluxOptionsValidatorTests
{
    private static InfluxOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var options = new InfluxOptions();
        configuration.GetSection(InfluxOptions.Section).Bind(options);
        return options;
    }

    private static string Failure(InfluxOptions options)
    {
        var result = new InfluxOptionsValidator().Validate(null, options);
        Assert.True(result.Failed, "Expected the options to be refused.");
        return result.FailureMessage;
    }

    [Fact]
    public void The_defaults_write_to_a_local_InfluxDB_1x_database_lightson_in_batches_of_5000_four_at_a_time()
    {
        var options = Bind();
        Assert.True(new InfluxOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(InfluxApi.V1, options.Api);
        Assert.Equal("http://127.0.0.1:8086", options.Url);
        Assert.Equal("lightson", options.Database);
        Assert.Equal(5000, options.BatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.FlushInterval);
        Assert.Equal(4, options.Concurrency);
        Assert.True(options.Gzip);
    }

    [Fact]
    public void Org_and_bucket_switch_to_the_2x_api()
    {
        var options = Bind(("Influx:Org", "district"), ("Influx:Bucket", "lightson"), ("Influx:Token", "t"), ("Influx:FlushInterval", "00:00:00.050"));
        Assert.True(new InfluxOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(InfluxApi.V2, options.Api);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.FlushInterval);
    }

    [Theory]
    [InlineData("Influx:Url", "localhost:8086", "Influx:Url")]
    [InlineData("Influx:Url", "ftp://127.0.0.1", "Influx:Url")]
    [InlineData("Influx:Url", "http://127.0.0.1:8086/?db=x", "Influx:Url")]
    [InlineData("Influx:Database", " ", "Influx:Database")]
    [InlineData("Influx:Org", "district", "Influx:Bucket")]
    [InlineData("Influx:BatchSize", "0", "Influx:BatchSize")]
    [InlineData("Influx:FlushInterval", "00:00:00", "Influx:FlushInterval")]
    [InlineData("Influx:FlushInterval", "00:05:00", "Influx:FlushInterval")]
    [InlineData("Influx:Concurrency", "0", "Influx:Concurrency")]
    [InlineData("Influx:Concurrency", "65", "Influx:Concurrency")]
    [InlineData("Influx:RetryBaseDelay", "00:00:00", "Influx:RetryBaseDelay")]
    [InlineData("Influx:RetryMaxDelay", "00:00:00.001", "Influx:RetryMaxDelay")]
    [InlineData("Influx:RetryBudget", "-00:00:01", "Influx:RetryBudget")]
    [InlineData("Influx:RequestTimeout", "00:00:00", "Influx:RequestTimeout")]
    public void A_bad_setting_is_refused_with_a_message_naming_its_key(string key, string value, string named) =>
        Assert.Contains(named, Failure(Bind((key, value))), StringComparison.Ordinal);
}
