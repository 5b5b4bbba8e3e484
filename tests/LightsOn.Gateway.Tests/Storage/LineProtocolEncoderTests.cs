using System.Buffers;
using System.Text;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Storage;
using LightsOn.Rules;
using static LightsOn.Gateway.Tests.Storage.StoragePoints;

namespace LightsOn.Gateway.Tests.Storage;

public class LineProtocolEncoderTests
{
    private static readonly Household H = Household();

    private static string Line(in TelemetryPoint point)
    {
        var buffer = new ArrayBufferWriter<byte>();
        LineProtocolEncoder.WriteTelemetry(buffer, point);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Line(AlertRecord alert, string community = "hp-nanshi", string household = "h0001")
    {
        var buffer = new ArrayBufferWriter<byte>();
        LineProtocolEncoder.WriteAlert(buffer, alert, community, household);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Door_is_a_telemetry_point_with_sorted_tags_a_boolean_open_and_time_in_ms() =>
        Assert.Equal("telemetry,community=hp-nanshi,device=d1,household=h0001,kind=door open=true 1763895600000\n", Line(Door(H, T0, open: true)));

    [Fact]
    public void Every_kind_writes_its_own_fields_with_fixed_types()
    {
        Assert.Equal("telemetry,community=hp-nanshi,device=d1,household=h0001,kind=door open=false,seq=17i 1763895600000\n", Line(Door(H, T0, open: false, seq: 17)));
        Assert.Equal("telemetry,community=hp-nanshi,device=l1,household=h0001,kind=light on=true,lux=35.5 1763895600001\n", Line(Light(H, T0 + 1, on: true, lux: 35.5)));
        Assert.Equal("telemetry,community=hp-nanshi,device=l1,household=h0001,kind=light on=false 1763895600001\n", Line(Light(H, T0 + 1, on: false)));
        Assert.Equal("telemetry,community=hp-nanshi,device=m1,household=h0001,kind=motion motion=true,seq=0i 1763895600002\n", Line(Motion(H, T0 + 2, seq: 0)));
        Assert.Equal("telemetry,community=hp-nanshi,device=f1,household=h0001,kind=fall confidence=0.92 1763895600003\n", Line(Fall(H, T0 + 3, 0.92)));
        Assert.Equal("telemetry,community=hp-nanshi,device=b1,household=h0001,kind=sos pressed=true,seq=9007199254740993i 1763895600004\n", Line(Sos(H, T0 + 4, seq: 9007199254740993)));
        Assert.Equal("telemetry,community=hp-nanshi,device=d1,household=h0001,kind=status battery=80.0,rssi=-67.0 1763895600005\n", Line(Status(H, 0, T0 + 5, battery: 80, rssi: -67)));
    }

    [Fact]
    public void A_fall_without_confidence_is_stored_with_the_default_confidence_of_one() =>
        Assert.Equal("telemetry,community=hp-nanshi,device=f1,household=h0001,kind=fall confidence=1.0 1763895600000\n", Line(Fall(H, T0, confidence: null)));

    [Fact]
    public void An_empty_status_is_a_heartbeat_and_one_with_only_a_seq_is_not()
    {
        Assert.Equal("telemetry,community=hp-nanshi,device=m1,household=h0001,kind=status heartbeat=true 1763895600000\n", Line(Status(H, 2, T0)));
        Assert.Equal("telemetry,community=hp-nanshi,device=m1,household=h0001,kind=status seq=4i 1763895600000\n", Line(Status(H, 2, T0, seq: 4)));
    }

    [Fact]
    public void A_replaced_device_clock_is_flagged_as_clockSkew() =>
        Assert.Equal("telemetry,community=hp-nanshi,device=d1,household=h0001,kind=status clockSkew=true,heartbeat=true 1763895600000\n", Line(Status(H, 0, T0, clockSkewed: true)));

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e21, "1E+21")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(0.1, "0.1")]
    public void Floats_always_carry_a_decimal_point_or_an_exponent(double battery, string written) =>
        Assert.Contains($" battery={written} ", Line(Status(H, 0, T0, battery: battery)), StringComparison.Ordinal);

    [Fact]
    public void Tag_values_escape_commas_equals_signs_and_spaces()
    {
        var odd = Household("h 1,x=y", "c o,m=m");
        Assert.Equal(@"telemetry,community=c\ o\,m\=m,device=d1,household=h\ 1\,x\=y,kind=door open=true 1763895600000" + "\n", Line(Door(odd, T0, true)));
    }

    [Fact]
    public void A_backslash_in_a_tag_stays_literal_except_before_a_separator_or_at_the_end()
    {
        Assert.StartsWith(@"telemetry,community=a\b,", Line(Door(Household("h", @"a\b"), T0, true)), StringComparison.Ordinal);
        // InfluxDB would read "\," or a final "\" as escaping the separator: the line must still parse.
        Assert.StartsWith(@"telemetry,community=a/\,b,", Line(Door(Household("h", @"a\,b"), T0, true)), StringComparison.Ordinal);
        Assert.StartsWith("telemetry,community=end/,", Line(Door(Household("h", "end\\"), T0, true)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_break_in_a_tag_cannot_split_the_line() =>
        Assert.StartsWith(@"telemetry,community=two\ lines,", Line(Door(Household("h", "two\nlines"), T0, true)), StringComparison.Ordinal);

    [Fact]
    public void An_open_alert_writes_id_state_and_level_and_omits_what_is_not_set() =>
        Assert.Equal("alert,community=hp-nanshi,household=h0001,kind=lights-not-on,severity=high id=\"a-17\",state=\"open\",level=\"grid\" 1763895600000\n",
            Line(Alert("a-17", AlertState.Open, T0)));

    [Fact]
    public void A_resolved_alert_writes_who_closed_it_the_outcome_and_the_note_escaped()
    {
        var alert = Alert("a-17", AlertState.Resolved, T0 + 5, by: "op \"Li\"", AlertOutcome.VisitedOk, note: "door\\window, all = fine\nsecond line");
        Assert.Equal("alert,community=hp-nanshi,household=h0001,kind=lights-not-on,severity=high "
            + "id=\"a-17\",state=\"resolved\",level=\"grid\",by=\"op \\\"Li\\\"\",outcome=\"visited-ok\",note=\"door\\\\window, all = fine\nsecond line\" 1763895600005\n",
            Line(alert));
    }

    [Fact]
    public void An_acknowledged_alert_writes_who_acknowledged_it() =>
        Assert.Contains(",by=\"grid-7\" ", Line(Alert("a-1", AlertState.Acknowledged, T0, by: "grid-7")), StringComparison.Ordinal);

    [Fact]
    public void Alert_tags_are_escaped_like_telemetry_tags() =>
        Assert.StartsWith(@"alert,community=c\ 1,household=h\=1,", Line(Alert("a", AlertState.Open, T0), "c 1", "h=1"), StringComparison.Ordinal);

    [Fact]
    public void Multibyte_text_is_written_as_utf8() =>
        Assert.Contains("note=\"已上门，一切正常\"", Line(Alert("a", AlertState.Resolved, T0, by: "x", AlertOutcome.VisitedOk, "已上门，一切正常")), StringComparison.Ordinal);

    [Fact]
    public void Encoding_points_into_a_sized_buffer_allocates_nothing()
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        var points = new[] { Door(H, T0, true, 1), Light(H, T0, true, 3.5, 2), Motion(H, T0, 3), Fall(H, T0, 0.9), Sos(H, T0), Status(H, 1, T0, 55, -70, 4) };
        var alert = Alert("a-1", AlertState.Resolved, T0, "op", AlertOutcome.FalseAlarm, "note");
        LineProtocolEncoder.WriteTelemetry(buffer, points[0]);
        LineProtocolEncoder.WriteAlert(buffer, alert, "hp-nanshi", "h0001");
        buffer.ResetWrittenCount();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            LineProtocolEncoder.WriteTelemetry(buffer, points[i % points.Length]);
        }
        LineProtocolEncoder.WriteAlert(buffer, alert, "hp-nanshi", "h0001");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1001, buffer.WrittenSpan.Count((byte)'\n'));
    }
}
