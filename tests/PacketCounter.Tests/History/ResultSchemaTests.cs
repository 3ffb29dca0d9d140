using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Json.Schema;
using PacketCounter.Profiling.Results;

namespace PacketCounter.Tests.History;

/// <summary>Checks a run's results.json against the shipped v1 schema.</summary>
internal static class ResultSchema
{
    public static string Path => System.IO.Path.Combine(NativeTool.RepoRoot, "schemas", "results.v1.schema.json");

    // The library registers a schema by its $id once per process.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path)));

    /// <summary>Fails unless the document at <paramref name="path"/> validates against the shipped v1 schema.</summary>
    public static void AssertValid(string path)
    {
        var schema = Schema.Value;
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .Take(10);
        Assert.True(result.IsValid, $"{path} does not follow results.v1: {string.Join("; ", errors)}");
    }
}

/// <summary>
/// results.json's schema, schemas/results.v1.schema.json: JSON Schema 2020-12, exported from the
/// result model when v1 was made. Within v1 the model may only add: every document it writes
/// must still validate against the shipped file.
/// </summary>
[Trait(Category.Name, Category.Pure)]
public class ResultSchemaTests
{
    // PACKETCOUNTER_WRITE_SCHEMA=1 exports the model's schema into the file: only to make a new version.
    [Fact]
    public void The_shipped_schema_is_2020_12_and_fixes_the_keys_tools_rely_on()
    {
        if (Environment.GetEnvironmentVariable("PACKETCOUNTER_WRITE_SCHEMA") == "1")
            File.WriteAllText(
                ResultSchema.Path,
                Exported().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"
            );
        var schema = JsonNode.Parse(File.ReadAllText(ResultSchema.Path))!;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"]);
        var variant = schema["properties"]!["variants"]!["items"]!;
        foreach (var key in new[] { "name", "role", "program", "object_sha256", "verifier" })
            Assert.NotNull(variant["properties"]![key]);
        var verifier = variant["properties"]!["verifier"]!["properties"]!;
        foreach (
            var key in new[]
            {
                "insns",
                "states",
                "peak_states",
                "max_states_per_insn",
                "mark_read",
                "duration_us",
                "stack_depth",
                "xlated_insns",
                "jited_bytes",
            }
        )
            Assert.NotNull(verifier[key]);
        var required = schema["required"]!.AsArray().Select(n => (string?)n).ToList();
        Assert.Contains("schema_version", required);
        Assert.Contains("variants", required);
    }

    // Within v1 the model may add keys and values, never take one away: every key and enum value
    // the shipped file names, the model still has.
    [Fact]
    public void The_model_keeps_every_key_and_value_v1_names()
    {
        var shipped = JsonNode.Parse(File.ReadAllText(ResultSchema.Path))!;
        var missing = new List<string>();
        var compared = Compare(shipped, Exported(), "$", missing);
        Assert.True(missing.Count == 0, $"the model no longer has: {string.Join(", ", missing)}");
        Assert.True(compared > 200, $"only {compared} keys compared");
    }

    // The keys compared, so that a walk that found nothing cannot pass.
    private static int Compare(JsonNode shipped, JsonNode? now, string path, List<string> missing)
    {
        if (now is null)
        {
            missing.Add(path);
            return 0;
        }
        var compared = 1;
        if (shipped["properties"] is JsonObject properties)
            foreach (var (key, value) in properties)
                compared += Compare(value!, Find(now, "properties", key), $"{path}.{key}", missing);
        if (shipped["items"] is { } items)
            compared += Compare(items, now["items"] ?? FirstWith(now, "items"), $"{path}[]", missing);
        if (shipped["enum"] is JsonArray values)
        {
            var kept = (now["enum"] as JsonArray ?? FirstWith(now, "enum") as JsonArray)?.Select(v =>
                v?.ToJsonString()
            );
            missing.AddRange(values.Select(v => v?.ToJsonString()).Except(kept ?? []).Select(v => $"{path}={v}"));
        }
        return compared;
    }

    private static JsonNode? Find(JsonNode node, string kind, string key) =>
        node[kind]?[key]
        ?? (node["anyOf"] as JsonArray)?.Select(n => n?[kind]?[key]).FirstOrDefault(n => n is not null);

    private static JsonNode? FirstWith(JsonNode node, string kind) =>
        (node["anyOf"] as JsonArray)?.Select(n => n?[kind]).FirstOrDefault(n => n is not null);

    [Fact]
    public void A_result_validates_and_a_broken_one_does_not()
    {
        using var folder = new TempFolder("pc-schema-");
        var path = Path.Combine(folder.Path, RunFolder.ResultFile);
        File.WriteAllText(path, ResultJson.Write(SyntheticRuns.Result("r1", DateTimeOffset.UnixEpoch)));
        ResultSchema.AssertValid(path);
        var broken = JsonNode.Parse(File.ReadAllText(path))!;
        broken["variants"]![0]!["name"] = 7;
        File.WriteAllText(path, broken.ToJsonString());
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ResultSchema.AssertValid(path));
    }

    private static JsonNode Exported()
    {
        var schema = ResultJson.Indented.GetJsonSchemaAsNode(
            typeof(RunResult),
            new JsonSchemaExporterOptions
            {
                TreatNullObliviousAsNonNullable = true,
                // A nullable number written with named literals allowed is exported without its null.
                TransformSchemaNode = (context, node) =>
                {
                    if (
                        Nullable.GetUnderlyingType(context.TypeInfo.Type) is not null
                        && node is JsonObject { } shape
                        && shape["anyOf"] is JsonArray choices
                    )
                        choices.Add(new JsonObject { ["type"] = "null" });
                    return node;
                },
            }
        );
        // Every key a run writes is there, so tools may rely on each.
        schema["required"] = new JsonArray([
            .. schema["properties"]!.AsObject().Select(p => (JsonNode)JsonValue.Create(p.Key)),
        ]);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://packetcounter.invalid/schemas/results.v1.schema.json",
            ["title"] = "PacketCounter run result, v1",
            ["description"] =
                "A run's whole result as results.json and bench --json write it. Within v1 changes only add.",
        };
        foreach (var (key, value) in schema.AsObject().ToList())
        {
            schema.AsObject().Remove(key);
            root[key] = value;
        }
        return root;
    }
}
