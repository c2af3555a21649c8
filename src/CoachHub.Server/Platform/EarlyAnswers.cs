using Microsoft.AspNetCore.Http.Features;

namespace CoachHub.Server.Platform;

/// <summary>
/// An answer sent before the request's body was read to its end (413 too large, 401 not signed in, 415 not JSON, a
/// refusal before the body mattered) first reads and discards what is left, up to <see cref="DrainBytes"/>: the
/// client, still sending, then hears the answer and keeps its connection. A body beyond that is not read; the answer
/// says Connection: close, so a keep-alive client sends its next request on a new connection instead of one the
/// server is dropping, where it would never hear back.
/// </summary>
public static class EarlyAnswers
{
    /// <summary>The most of a body the server reads to discard it (Kestrel's limit); what the API reads is 64 KB at most (RequestBody).</summary>
    public const int DrainBytes = 4 * 1024 * 1024;

    /// <summary>How long a client may take to send the rest of a body being discarded.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(5);

    public static WebApplication UseHonestEarlyAnswers(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((http, next) =>
        {
            if (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                var body = new ReadToEndStream(http.Request.Body, http.Request.ContentLength);
                http.Request.Body = body;
                http.Response.OnStarting(async () =>
                {
                    // A client that waits for "100 Continue" before it sends would be asked for a body only to be refused.
                    var waiting = http.Request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase);
                    if (!body.ReadToEnd && (waiting || !await body.DrainAsync(http.RequestAborted))) http.Response.Headers.Connection = "close";
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

        /// <summary>Reads what is left to the end, if it is small enough and comes soon enough; whether it did.</summary>
        public async Task<bool> DrainAsync(CancellationToken aborted)
        {
            if (contentLength > DrainBytes) return false;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            timeout.CancelAfter(DrainTime);
            var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (!ReadToEnd && _read <= DrainBytes) Count(await inner.ReadAsync(scratch, timeout.Token));
                return ReadToEnd;
            }
            // InvalidOperationException: another read of the body is pending (the in-memory test server pumps it): the header then.
            catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException or InvalidOperationException)
            {
                return false;
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
            }
        }

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
