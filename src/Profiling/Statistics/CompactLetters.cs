namespace PacketCounter.Profiling.Statistics;

/// <summary>
/// The compact letter display of pairwise tests: items that share a letter could not be told
/// apart, items with no letter in common could. Piepho's insert-and-absorb algorithm
/// (J. Comput. Graph. Stat. 13, 2004), which is exact for any pattern of differences, chains
/// included (A~B, B~C, A≠C gives a, ab, b).
/// </summary>
public static class CompactLetters
{
    /// <summary>
    /// One letter string per item, in the order given. Pass the items ranked (cheapest
    /// first): letters are then handed out in rank order, so "a" holds the cheapest.
    /// </summary>
    /// <param name="count">How many items.</param>
    /// <param name="differ">Whether items i and j (i &lt; j) were told apart.</param>
    public static IReadOnlyList<string> Of(int count, Func<int, int, bool> differ)
    {
        if (count == 0)
            return [];
        var columns = new List<HashSet<int>> { Enumerable.Range(0, count).ToHashSet() };
        for (var i = 0; i < count; i++)
        for (var j = i + 1; j < count; j++)
        {
            if (!differ(i, j))
                continue;
            // Insert: a column holding both is split in two, one without each.
            foreach (var both in columns.Where(c => c.Contains(i) && c.Contains(j)).ToList())
            {
                columns.Remove(both);
                columns.Add([.. both.Where(k => k != i)]);
                columns.Add([.. both.Where(k => k != j)]);
            }
            // Absorb: a column inside another says nothing the larger one does not.
            var kept = new List<HashSet<int>>();
            foreach (var column in columns)
                if (!kept.Any(column.IsSubsetOf))
                {
                    kept.RemoveAll(k => k.IsSubsetOf(column));
                    kept.Add(column);
                }
            columns = kept;
        }
        var ordered = columns.OrderBy(c => c.Min()).ThenBy(c => c.Count).ToList();
        if (ordered.Count > 26)
            throw new ArgumentOutOfRangeException(nameof(count), "more than 26 letters: too many tiers to name");
        return Enumerable
            .Range(0, count)
            .Select(item => new string(
                ordered
                    .Select((c, letter) => (c, letter))
                    .Where(p => p.c.Contains(item))
                    .Select(p => (char)('a' + p.letter))
                    .ToArray()
            ))
            .ToList();
    }
}
