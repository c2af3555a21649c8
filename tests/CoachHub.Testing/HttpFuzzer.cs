using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoachHub.Testing;

/// <summary>One endpoint of the server's own OpenAPI document: what a request to it may carry.</summary>
public sealed record FuzzTarget(string Method, string Path, IReadOnlyList<string> Query, JsonObject? BodySchema, bool TakesBody)
{
    public string Key => $"{Method} {Path}";
}

/// <summary>Who a request is sent as: a bearer token, or none.</summary>
public sealed record FuzzCaller(string Name, string? Token);

/// <summary>What a run found: requests by status, and every request that broke a rule, with how to send it again.</summary>
public sealed record FuzzReport(int Requests, IReadOnlyDictionary<int, int> Statuses, IReadOnlyList<string> Failures, TimeSpan Elapsed, int Seed);

/// <summary>
/// Generated requests, hostile and plausible, to every endpoint the server lists in its OpenAPI document: route
/// values (own ids, others', garbage), query values, headers (content types, If-Match, Idempotency-Key, tokens of
/// every role and forged ones), bodies (shaped after the endpoint's schema with mutated values, random JSON, broken
/// JSON and encodings, oversized). Sent one at a time over one keep-alive client, as a browser would, and checked:
/// an answer every time (no dropped connection), never a 5xx, and no event appended by a request that was refused.
/// The seed makes a run repeatable.
/// </summary>
public sealed class HttpFuzzer(Uri server, IReadOnlyList<FuzzCaller> callers, IReadOnlyDictionary<string, string[]> knownValues, Func<Task<long>> eventHead)
{
    /// <summary>Endpoints left out: signing out ends the callers' sessions for the rest of the run; a rebuild stops appends while it runs.</summary>
    public static readonly IReadOnlySet<string> LeftOut = new HashSet<string>(StringComparer.Ordinal)
    {
        "POST /api/auth/signout", "POST /api/admin/rebuilds",
    };

    /// <summary>Kestrel's longest request line (8 KB): beyond it, Kestrel answers 414 and closes.</summary>
    private const int MaxRequestLine = 8 * 1024;

    private static readonly string[] Strings =
    [
        "", " ", "a", "null", "true", "0", "-1", "1e309", "NaN", "' or 1=1 --", "\"; drop table runs; --", "../../etc/passwd", "%00", "\u0000",
        "\u202e\u0645", "😀🏃‍♀️", "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "\r\nSet-Cookie: x=1", "\ud800", "2026-02-30",
        "2026-12-07", "2026-12-07T25:61:00Z", "9999-12-31", "0001-01-01", "Europe/Dublin", "Mars/Olympus", "easy", "road", "kilometres",
        "00000000-0000-0000-0000-000000000000", new string('x', 300), new string('é', 5_000), "a@b.c", "not-an-email",
    ];

    private static readonly object?[] Numbers = [0, -1, 1, 7, 42, 2_147_483_647, 2_147_483_648L, -9_223_372_036_854_775_808L, 1e308, 3.5, -0.0, null];

    private static readonly string?[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json", "application/json; charset=utf-16", "text/plain",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "%%%", null,
    ];

    public static async Task<List<FuzzTarget>> TargetsAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var schemas = document["components"]?["schemas"]?.AsObject();
        var targets = new List<FuzzTarget>();
        foreach (var (path, methods) in document["paths"]!.AsObject())
            foreach (var (method, operation) in methods!.AsObject())
            {
                var query = operation?["parameters"]?.AsArray().Where(p => (string?)p?["in"] == "query").Select(p => (string)p!["name"]!).ToList() ?? [];
                var content = operation?["requestBody"]?["content"]?.AsObject();
                var schema = content?.FirstOrDefault().Value?["schema"];
                var reference = (string?)schema?["$ref"];
                var body = reference is not null ? schemas?[reference.Split('/')[^1]]?.AsObject() : schema as JsonObject;
                var target = new FuzzTarget(method.ToUpperInvariant(), path, query, body, content is not null || method is "post" or "put");
                if (!LeftOut.Contains(target.Key)) targets.Add(target);
            }
        return targets;
    }

    public async Task<FuzzReport> RunAsync(IReadOnlyList<FuzzTarget> targets, int count, int seed, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var random = new Random(seed);
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        // One client, connections kept alive: a connection the server drops without saying so fails the next request.
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10), AllowAutoRedirect = false })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var head = await eventHead();
        var protocolRefusals = 0;
        for (var i = 0; i < count && failures.Count < 20; i++)
        {
            var target = targets[random.Next(targets.Count)];
            using var request = Build(target, random, out var description);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                // A request line Kestrel refuses itself (too long: 414; NUL: 400) is answered and the connection closed
                // before anything of CoachHub runs; a client still sending a large body may not hear that answer. The
                // next request, on the same client, must be answered all the same.
                if (request.RequestUri!.OriginalString.Length > MaxRequestLine && (request.Content?.Headers.ContentLength ?? 0) > 64 * 1024) { protocolRefusals++; continue; }
                failures.Add($"#{i} no answer ({ex.GetType().Name}: {ex.Message}) to {description}");
                continue;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var text = await response.Content.ReadAsStringAsync(ct);
                if (status >= 500) failures.Add($"#{i} {status} to {description}: {Clip(text, 300)}");
                var now = await eventHead();
                if (status >= 400 && now != head) failures.Add($"#{i} refused with {status} but appended {now - head} events: {description}");
                head = now;
            }
        }
        if (protocolRefusals > 0) statuses[0] = protocolRefusals;
        return new FuzzReport(count, statuses, failures, clock.Elapsed, seed);
    }

    private HttpRequestMessage Build(FuzzTarget target, Random random, out string description)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(target.Path, "{([^}]+)}", m => Uri.EscapeDataString(RouteValue(m.Groups[1].Value, random)));
        var query = new List<string>();
        foreach (var name in target.Query) if (random.Next(3) > 0) query.Add($"{name}={Uri.EscapeDataString(QueryValue(random))}");
        if (random.Next(8) == 0) query.Add($"{Pick(random, ["limit", "page", "pageSize", "from", "weeks", "days", "useCookies", "x"])}={Uri.EscapeDataString(QueryValue(random))}");
        var url = query.Count > 0 ? $"{path}?{string.Join('&', query)}" : path;
        var request = new HttpRequestMessage(new HttpMethod(target.Method), url);
        var caller = callers[random.Next(callers.Count)];
        if (caller.Token is not null) request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {caller.Token}");
        if (random.Next(6) == 0) request.Headers.TryAddWithoutValidation("If-Match", Pick(random, ["\"1\"", "\"0\"", "*", "W/\"3\"", "garbage", "\"99999999999999999999\"", "\"-5\""]));
        if (random.Next(6) == 0) request.Headers.TryAddWithoutValidation("Idempotency-Key", random.Next(3) == 0 ? new string('k', 300) : $"fuzz-{random.Next(50)}");
        if (random.Next(20) == 0) request.Headers.TryAddWithoutValidation("X-Forwarded-For", Pick(random, ["1.2.3.4", "garbage", "::1, 10.0.0.1"]));
        if (random.Next(25) == 0) request.Headers.TryAddWithoutValidation("X-Padding", new string('p', 8_000));
        var bodyKind = "none";
        if (target.TakesBody || random.Next(10) == 0)
        {
            var (bytes, kind) = Body(target, random);
            bodyKind = kind;
            var content = new ByteArrayContent(bytes);
            content.Headers.Remove("Content-Type");
            if (Pick(random, ContentTypes) is { } type) content.Headers.TryAddWithoutValidation("Content-Type", type);
            request.Content = content;
        }
        description = $"{target.Method} {Clip(url, 200)} as {caller.Name}, body {bodyKind}{(request.Content is { } c ? $" ({c.Headers.ContentType}, {c.Headers.ContentLength} bytes)" : "")}";
        return request;
    }

    private string RouteValue(string name, Random random)
    {
        var roll = random.Next(10);
        if (roll < 6 && knownValues.TryGetValue(name, out var known) && known.Length > 0) return Pick(random, known);
        if (roll < 8) return name.EndsWith("Id", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : PathString(random);
        return PathString(random);
    }

    /// <summary>
    /// A hostile string for a route, NUL left out: Kestrel refuses a path with NUL before any of CoachHub runs, closing
    /// the connection with its 400, and a client still sending a large body then may not hear it; NUL still goes in query values and bodies.
    /// </summary>
    private static string PathString(Random random) => Pick(random, Strings) is { Length: > 0 } s && !s.Contains('\0') && s != "%00" ? s : "x";

    private static string QueryValue(Random random) => random.Next(3) switch
    {
        0 => Convert.ToString(Pick(random, Numbers), System.Globalization.CultureInfo.InvariantCulture) ?? "",
        1 => Pick(random, Strings),
        _ => random.Next(-5, 600).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static (byte[] Bytes, string Kind) Body(FuzzTarget target, Random random)
    {
        var roll = random.Next(100);
        if (roll < 55 && target.BodySchema is { } schema) return (Utf8(Shaped(schema, random, 0)?.ToJsonString() ?? "null"), "shaped");
        if (roll < 65) return (Utf8(Shaped(null, random, 0)?.ToJsonString() ?? "null"), "random JSON");
        if (roll < 70) return (Utf8(new string('[', 5_000) + new string(']', 5_000)), "nested 5,000 deep");
        if (roll < 75) return (Utf8("{\"a\":\"" + new string('a', 2_000_000) + "\"}"), "2 MB");
        if (roll < 80) return ([0xEF, 0xBB, 0xBF, (byte)'{', 0xC3, 0x28, (byte)'}'], "invalid UTF-8");
        if (roll < 88) return (Utf8(Pick(random, ["{", "{\"a\":", "[1,2", "{\"a\":1}}", "\"unterminated", "nul", "{'single':'quotes'}", "{\"a\":1,\"a\":2}"])), "broken JSON");
        if (roll < 93) return ([], "empty");
        return (Utf8("{}"), "{}");
    }

    /// <summary>An object after the schema's properties, each value plausible, wrong-typed, null or missing; or random JSON.</summary>
    private static JsonNode? Shaped(JsonObject? schema, Random random, int depth)
    {
        if (schema?["properties"] is JsonObject properties)
        {
            var result = new JsonObject();
            foreach (var (name, property) in properties)
            {
                var roll = random.Next(10);
                if (roll == 0) continue;
                result[name] = roll == 1 ? null : roll == 2 ? Shaped(null, random, depth + 1) : Value(property as JsonObject, random, depth + 1);
            }
            if (random.Next(10) == 0) result["unexpected"] = Shaped(null, random, depth + 1);
            return result;
        }
        if (depth > 3) return JsonValue.Create(Pick(random, Strings));
        return random.Next(6) switch
        {
            0 => JsonValue.Create(Pick(random, Strings)),
            1 => JsonValue.Create(random.Next(-1000, 100_000)),
            2 => JsonValue.Create(random.Next(2) == 0),
            3 => new JsonArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => Shaped(null, random, depth + 1))]),
            4 => new JsonObject { [Pick(random, ["a", "sessions", "pain", "x"])] = Shaped(null, random, depth + 1) },
            _ => null,
        };
    }

    private static JsonNode? Value(JsonObject? property, Random random, int depth)
    {
        // OpenAPI 3.1 writes a nullable type as ["string", "null"].
        var type = property?["type"] switch
        {
            JsonValue one => one.GetValue<string>(),
            JsonArray types => types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t is not null and not "null"),
            _ => null,
        };
        var format = property?["format"] is JsonValue f ? f.GetValue<string>() : null;
        if (random.Next(5) == 0) return Shaped(null, random, depth);
        return type switch
        {
            "integer" or "number" => Pick(random, Numbers) is { } n ? JsonValue.Create(n) : null,
            "boolean" => JsonValue.Create(random.Next(2) == 0),
            "array" => new JsonArray([.. Enumerable.Range(0, random.Next(random.Next(10) == 0 ? 300 : 4)).Select(_ => Value(property?["items"] as JsonObject, random, depth + 1))]),
            "string" when format is "date" => JsonValue.Create(Pick(random, ["2026-12-07", "2026-12-14", "2026-02-30", "1900-01-01", "tomorrow"])),
            "string" when format is "date-time" => JsonValue.Create(Pick(random, ["2026-12-07T07:00:00Z", "2026-12-07T07:00:00+14:00", "2099-01-01T00:00:00Z", "yesterday"])),
            "string" when format is "uuid" => JsonValue.Create(Guid.NewGuid().ToString()),
            _ when property?["enum"] is JsonArray values && values.Count > 0 && random.Next(3) > 0 => values[random.Next(values.Count)]?.DeepClone(),
            _ => JsonValue.Create(Pick(random, Strings)),
        };
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + "...";
}
