using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Measurement;
using PacketCounter.Profiling.Results;
using PacketCounter.Profiling.Statistics;

namespace PacketCounter.Tests.History;

/// <summary>results.json: a run written and read back is the same run, figure for figure.</summary>
[Trait(Category.Name, Category.Pure)]
public class ResultJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_result_read_back_from_its_document_is_equal_and_keeps_every_figure()
    {
        var result = SyntheticRuns.Result("r1", T0);
        var json = ResultJson.Write(result);
        var back = ResultJson.Read(json);
        Assert.Equal(result, back);
        Assert.Equal(json, ResultJson.Write(back));
        Assert.Equal(result.Micro[1].NetOfBaseline, back.Micro[1].NetOfBaseline);
        Assert.Equal(result.Pairs[0].Values, back.Pairs[0].Values);
        Assert.Equal(result.Live[0].Setting, back.Live[0].Setting);
        Assert.Equal(result.Environment.StartedUtc, back.Environment.StartedUtc);
    }

    [Fact]
    public void A_figure_that_does_not_exist_stays_not_a_number_and_enums_read_as_words()
    {
        var result = SyntheticRuns.Result("r1", T0) with
        {
            Attribution =
            [
                new AttributionFigure(new Profiling.Counters.AttributionReading("Ultra", "cycles", 0, 0), double.NaN),
            ],
        };
        var json = ResultJson.Write(result);
        Assert.Contains("\"net_per_run\": \"NaN\"", json);
        Assert.Contains("\"role\": \"baseline\"", json);
        Assert.Contains("\"sink\": \"drop\"", json);
        Assert.Contains("\"figure\": \"cost_ratio\"", json);
        Assert.Contains("\"kind\": \"generator\"", json);
        // Figures computed from others are not stored: they are computed again on reading.
        Assert.DoesNotContain("\"half_width\"", json);
        var back = ResultJson.Read(json);
        Assert.True(double.IsNaN(back.Attribution[0].NetPerRun));
        Assert.Equal(result, back);
    }

    [Fact]
    public void Results_that_differ_in_one_figure_are_not_equal()
    {
        var result = SyntheticRuns.Result("r1", T0);
        var moved = result with
        {
            Live = [result.Live[0] with { NetCpuNsPerPacket = new Interval(3.2, 2.2, 4.0, 10, "x") }],
        };
        Assert.NotEqual(result, moved);
        Assert.NotEqual(result, result with { Incomplete = true });
        Assert.Equal(result, result with { });
    }

    [Fact]
    public void A_document_that_is_not_a_result_is_one_clear_line()
    {
        using var folder = new TempFolder("pc-result-");
        File.WriteAllText(Path.Combine(folder.Path, RunFolder.ResultFile), "{\"id\": 3");
        var error = Assert.Throws<RunFolderException>(() => RunFolder.Read(folder.Path));
        Assert.Contains("cannot be read as a run's result", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        using var older = new TempFolder("pc-result-");
        File.WriteAllText(Path.Combine(older.Path, RunFolder.SummaryFile), "variant\n");
        Assert.Contains(
            "written before runs kept their whole result",
            Assert.Throws<RunFolderException>(() => RunFolder.Read(older.Path)).Message
        );
    }
}
