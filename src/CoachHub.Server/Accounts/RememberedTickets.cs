using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace CoachHub.Server.Accounts;

/// <summary>
/// Bearer tokens as this node has already opened them. Opening one costs a key derivation, an HMAC and an AES
/// decryption, and a phone sends the same token with every request, so a token that opened is remembered for a
/// few minutes (bounded in number). The handler still checks each ticket's own expiry on every request; a
/// remembered ticket is copied so that no request sees another's changes. Unreadable tokens are never remembered.
/// </summary>
internal sealed class RememberedTickets(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    public const int Capacity = 5_000;

    /// <summary>How long a token is trusted without being opened again: bounds how late a revoked signing key takes effect.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _opened = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null) return inner.Unprotect(protectedText, purpose);
        if (_opened.TryGetValue(protectedText, out AuthenticationTicket? known)) return known!.Clone();
        var ticket = inner.Unprotect(protectedText);
        if (ticket is not null)
            _opened.Set(protectedText, ticket.Clone(), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return ticket;
    }

    public void Dispose() => _opened.Dispose();
}
