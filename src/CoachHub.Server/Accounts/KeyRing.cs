using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace CoachHub.Server.Accounts;

/// <summary>
/// The Data Protection key ring (the keys behind cookies and bearer tokens) lives in PostgreSQL, shared by every node;
/// outside Development its keys are encrypted there with a certificate from configuration: a copy of the database
/// alone cannot forge anyone's session. CoachHub:DataProtection:Certificate is a PKCS#12 file (mounted from a secret in
/// k8s, a file in compose; `./coachhub` makes one of its own), with CertificatePassword if it has one, and
/// PreviousCertificates (paths separated by ';') still able to read keys written under older ones while they age out.
/// </summary>
public static class KeyRing
{
    public static void ProtectKeys(IDataProtectionBuilder dataProtection, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var section = configuration.GetSection("CoachHub:DataProtection");
        if (section["Certificate"] is { Length: > 0 } path)
        {
            var password = section["CertificatePassword"];
            dataProtection.ProtectKeysWithCertificate(Load(path, password));
            if (section["PreviousCertificates"] is { Length: > 0 } previous)
                dataProtection.UnprotectKeysWithAnyCertificate([.. previous.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(p => Load(p, password))]);
        }
        else if (!environment.IsDevelopment())
        {
            dataProtection.Services.AddHostedService<UnencryptedKeysWarning>();
        }
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"CoachHub:DataProtection: the certificate {path} does not exist.");
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        return certificate.HasPrivateKey ? certificate
            : throw new InvalidOperationException($"CoachHub:DataProtection: the certificate {path} has no private key; keys could be written but never read.");
    }

    /// <summary>`dataprotection-certificate PATH`: a self-signed RSA certificate for a machine of one's own (./coachhub does this once).</summary>
    public static int WriteCertificate(string path)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=CoachHub Data Protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private sealed class UnencryptedKeysWarning(ILogger<UnencryptedKeysWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("CoachHub:DataProtection:Certificate is not set: the keys behind sessions are stored in PostgreSQL unencrypted (docs/operations.md)");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
