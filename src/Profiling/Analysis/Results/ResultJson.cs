using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PacketCounter.Profiling.Cpu;
using PacketCounter.Profiling.Measurement;

namespace PacketCounter.Profiling.Results;

/// <summary>
/// How a <see cref="RunResult"/> is written and read: snake_case names, enums by their
/// snake_case names (as <see cref="Text.EnumNames"/> writes them everywhere else), NaN and
/// infinities as strings, and only what the model stores: a property computed from others
/// is left out, so reading a document back gives the same result.
/// </summary>
public static class ResultJson
{
    public const string FileName = "results.json";

    /// <summary>The version of the document's schema, schemas/results.v{N}.schema.json; within a version changes only add.</summary>
    public const int SchemaVersion = 1;

    /// <summary>How the document is written: what the schema is exported from.</summary>
    public static JsonSerializerOptions Indented { get; } = Options(indented: true);

    private static readonly JsonSerializerOptions Plain = Options(indented: false);

    public static string Write(RunResult result) => JsonSerializer.Serialize(result, Indented);

    /// <summary>One line, as the history store keeps it.</summary>
    public static string Compact(RunResult result) => JsonSerializer.Serialize(result, Plain);

    /// <summary>The result a document holds; a document that is not one is a <see cref="JsonException"/>.</summary>
    public static RunResult Read(string json) =>
        JsonSerializer.Deserialize<RunResult>(json, Plain) ?? throw new JsonException("the document is empty");

    private static JsonSerializerOptions Options(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = indented,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { StoredOnly } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new CpuListConverter());
        options.MakeReadOnly(populateMissingResolver: false);
        return options;
    }

    // A property with neither a setter nor a constructor parameter is computed from the
    // others: writing it would only repeat them, and reading could not set it.
    private static void StoredOnly(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
            return;
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            var property = type.Properties[i];
            if (property.Set is null && property.AssociatedParameter is null)
                type.Properties.RemoveAt(i);
        }
    }

    /// <summary>A CPU list as the command line spells it: "0,1".</summary>
    private sealed class CpuListConverter : JsonConverter<CpuList>
    {
        public override CpuList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            CpuList.TryParse(reader.GetString() ?? "", out var list)
                ? list!
                : throw new JsonException($"'{reader.GetString()}' is not a CPU list");

        public override void Write(Utf8JsonWriter writer, CpuList value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
