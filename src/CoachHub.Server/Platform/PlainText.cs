using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachHub.Server.Platform;

/// <summary>
/// Every string in a request body is plain text: control characters other than tab and newline are refused,
/// as a 400 naming the field. PostgreSQL cannot store NUL in text at all, and the others only ever arrive by
/// accident or on purpose, never from a person typing.
/// </summary>
public sealed class PlainTextConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException();
        var text = reader.GetString()!;
        foreach (var c in text)
            if (char.IsControl(c) && c is not '\t' and not '\n')
                throw new NotPlainTextException();
        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}

/// <summary>A string with a control character in it; the serializer adds which field it was.</summary>
public sealed class NotPlainTextException() : JsonException(RequestBody.NotPlainText);
