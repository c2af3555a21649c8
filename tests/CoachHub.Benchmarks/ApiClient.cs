using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CoachHub.Benchmarks;

/// <summary>A non-2xx answer, with its body for the message.</summary>
internal sealed class ApiException(HttpStatusCode status, string method, string path, string body)
    : Exception($"{method} {path} answered {(int)status}: {body}")
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>JSON over one pooled HttpClient, a bearer token per request.</summary>
internal sealed class ApiClient : IDisposable
{
    public ApiClient(Uri address) =>
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 128, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };

    public HttpClient Http { get; }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>Sends and parses the answer; throws <see cref="ApiException"/> unless it is 2xx.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string? token = null, object? body = null)
    {
        using var request = Request(method, path, token, body is null ? null : JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new ApiException(response.StatusCode, method.Method, path, text);
        if (text.Length == 0) return default;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public Task<JsonElement> PostAsync(string path, object body, string? token = null) => SendAsync(HttpMethod.Post, path, token, body);

    public async Task<string> SignInAsync(string email, string password) =>
        (await PostAsync("/api/auth/signin", new { email, password })).GetProperty("accessToken").GetString()!;

    public void Dispose() => Http.Dispose();
}
