using Microsoft.AspNetCore.Http.Features;

namespace CoachHub.Server.Platform;

/// <summary>
/// An answer sent before the request's body was read to its end (413 too large, 401 not signed in, 415 not JSON, a
/// refusal before the body mattered) says Connection: close. Kestrel cannot always read and discard what is left (a
/// body over the limit it will not read), and without the header a keep-alive client sends its next request on a
/// connection the server is dropping, and never hears back.
/// </summary>
public static class EarlyAnswers
{
    public static WebApplication UseHonestEarlyAnswers(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((http, next) =>
        {
            if (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                var body = new ReadToEndStream(http.Request.Body, http.Request.ContentLength);
                http.Request.Body = body;
                http.Response.OnStarting(() =>
                {
                    if (!body.ReadToEnd) http.Response.Headers.Connection = "close";
                    return Task.CompletedTask;
                });
            }
            return next(http);
        });
        return app;
    }

    /// <summary>The request body, noting whether it was read to its end (a read that returned nothing, or all its Content-Length).</summary>
    private sealed class ReadToEndStream(Stream inner, long? contentLength) : Stream
    {
        private long _read;

        public bool ReadToEnd { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (read == 0 || (contentLength is { } length && _read >= length)) ReadToEnd = true;
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
