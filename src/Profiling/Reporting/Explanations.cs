using PacketCounter.Profiling.Analysis;
using PacketCounter.Profiling.Reporting.Columns;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Profiling.Reporting;

/// <summary>The sections that read the run against a question: the lab's claims, and what explains the cost.</summary>
public static class Explanations
{
    /// <summary>Claim, what this run measured, verdict; what can be compared is the collapsed detail.</summary>
    public static IReadOnlyList<Block> SeedBlocks(RunResult result)
    {
        var claims = SeedClaims.Of(result);
        return
        [
            new TableBlock(ColumnTable.Of(null, SeedColumns, claims)),
            new Collapsible(
                "how each claim is read",
                [
                    new Bullets([
                        .. claims.Select(c => $"{c.Claim}: {c.Reading}."),
                        "Absolute rates and CPU shares belong to the machine and the testbed; ratios and executed "
                            + "instructions do not, so those are the rows to compare with the lab.",
                    ]),
                ]
            ),
        ];
    }

    private static readonly IReadOnlyList<Column<SeedClaim>> SeedColumns =
    [
        Column.Key<SeedClaim>("CLAIM (THE LAB)", null, "", c => c.Claim),
        Column.Of<SeedClaim>("THIS RUN", "what this run measured, with its 95% CI where it has one", c => c.Measured),
        Column.Of<SeedClaim>(
            "VERDICT",
            "holds, does not hold, not resolved (the CI straddles the claim), not comparable (the figure is the "
                + "machine's), or not measured",
            c => Verdict(c.Verdict)
        ),
    ];

    public static string Verdict(ClaimVerdict verdict) =>
        verdict switch
        {
            ClaimVerdict.Holds => "holds",
            ClaimVerdict.DoesNotHold => "does not hold",
            ClaimVerdict.NotResolved => "not resolved",
            ClaimVerdict.NotComparable => "not comparable",
            _ => "not measured",
        };

    /// <summary>The fit in words and its table; empty with fewer than 3 counters in a micro ranking.</summary>
    public static IReadOnlyList<Block> CostBlocks(RunResult result)
    {
        if (CostExplanation.Of(result) is not { } cost)
            return [];
        var blocks = new List<Block> { new Paragraph(CostSentence(cost)) };
        blocks.Add(new TableBlock(ColumnTable.Of(null, CostColumns, cost.Predictors)));
        if (cost.HardwareCounters is { } why)
            blocks.Add(new Paragraph($"Hardware counters per packet would join this fit; here they are {why}."));
        return blocks;
    }

    /// <summary>"Across 7 counters (micro, ...), executed instructions alone explain 45% ..."</summary>
    public static string CostSentence(CostExplanation cost)
    {
        var first = cost.Predictors[0];
        var added = cost
            .Predictors.Skip(1)
            .Where(p => p.Added is not null && p.Note is null)
            .Select(p => $"{p.Name} add{(p.Name.EndsWith('s') ? "" : "s")} {Percent(p.Added!.Value)}")
            .ToList();
        var off = string.Join(
            "; ",
            cost.FurthestOff.Select(o =>
                $"**{o.Variant}** {Format.Signed(o.Residual)} {cost.Unit} ({Format.Number(o.Instructions, "0.#")} "
                + $"instructions, {Format.Signed(o.NetCost)})"
            )
        );
        return $"Across {cost.Points} counters ({cost.Context}), {first.Name} alone explain "
            + $"{Percent(first.Added ?? first.Alone)} of the differences in net cost "
            + $"({Format.Number(cost.SlopePerInstruction, "0.00")} {cost.Unit} per instruction)"
            + (added.Count > 0 ? $"; {string.Join(", ", added)}" : "")
            + $": {Percent(cost.Explained)} in all. The fit rests on {cost.Points} points and {cost.Parameters} "
            + "parameters: it describes this run, it is not a law. Furthest off the instruction line: "
            + $"{off}.";
    }

    private static readonly IReadOnlyList<Column<CostPredictor>> CostColumns =
    [
        Column.Key<CostPredictor>("PREDICTOR", null, "", p => p.Name),
        Column.Of<CostPredictor>(
            "ALONE",
            "share of the differences in net cost it explains by itself (R² of a line)",
            p => Percent(p.Alone)
        ),
        Column.Of<CostPredictor>(
            "ADDED",
            "what it adds to the share explained by the predictors above it, fitted together",
            p => p.Note ?? (p.Added is { } a ? Percent(a) : "-")
        ),
    ];

    private static string Percent(double share) => Format.Number(share * 100, "0") + "%";
}
