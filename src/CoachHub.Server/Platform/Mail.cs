using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace CoachHub.Server.Platform;

/// <summary>
/// CoachHub:Mail, the SMTP server CoachHub's mail goes through (MailKit). Without a host no mail is sent, and each
/// one is logged as not sent: a node for a demo needs none, and `./coachhub run` starts a mailbox to read them in.
/// </summary>
public sealed class MailSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string From { get; set; } = "CoachHub <no-reply@coachhub.app>";
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>STARTTLS, required: Auto would send in clear text where someone in between strips the server's offer. None only for a local mailbox.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>One mail to one person, text and HTML, as a message: sent after the transaction that wrote it commits.</summary>
public sealed record OutgoingMail(string To, string ToName, string Subject, string Text, string Html);

/// <summary>Sends mail through the configured SMTP server, one connection per mail (CoachHub sends few).</summary>
public sealed class Mailer(IOptions<MailSettings> options, ILogger<Mailer> logger)
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var settings = options.Value;
        if (settings.Host is not { Length: > 0 } host || string.IsNullOrWhiteSpace(host))
        {
            logger.LogWarning("No mail server is configured (CoachHub:Mail:Host): \"{Subject}\" to {To} was not sent", mail.Subject, mail.To);
            return;
        }
        var message = new MimeMessage { Subject = mail.Subject, Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody() };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(new MailboxAddress(mail.ToName, mail.To));
        using var smtp = new SmtpClient { Timeout = 30_000 };
        await smtp.ConnectAsync(host, settings.Port, settings.Security, ct);
        if (!string.IsNullOrEmpty(settings.UserName)) await smtp.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(true, ct);
        logger.LogInformation("Mail \"{Subject}\" sent to {To}", mail.Subject, mail.To);
    }
}

public static class OutgoingMailHandler
{
    /// <summary>A mail server away: tried again after 1 and 5 s, then 1, 5 and 30 minutes, then a dead letter an admin can replay.</summary>
    public static void Configure(HandlerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        chain.OnAnyException().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)).Then.MoveToErrorQueue();
    }

    public static Task HandleAsync(OutgoingMail mail, Mailer mailer, CancellationToken ct) => mailer.SendAsync(mail, ct);
}

/// <summary>
/// CoachHub:PublicUrl, where people reach the web app: the links in mail. Configured, never taken from a request's
/// Host header, which the caller chooses (a reset link pointing at someone else's site is a classic theft).
/// </summary>
public sealed class SiteLinks(IConfiguration configuration)
{
    public Uri Base { get; } = new((configuration["CoachHub:PublicUrl"] is { Length: > 0 } url ? url : "http://localhost:5080").TrimEnd('/') + "/");

    /// <summary>A page of the web app (its hash route, such as "squads/ID").</summary>
    public string To(string route) => new Uri(Base, "#/" + route.TrimStart('/')).ToString();
}

public static class MailSetup
{
    /// <summary>The durable local queue mail waits in until the SMTP server takes it.</summary>
    public const string Queue = "mail";

    public static WebApplicationBuilder AddCoachHubMail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<MailSettings>(builder.Configuration.GetSection("CoachHub:Mail"));
        builder.Services.AddSingleton<Mailer>();
        builder.Services.AddSingleton<SiteLinks>();
        return builder;
    }

    public static void Route(WolverineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LocalQueue(Queue).MaximumParallelMessages(2);
        options.PublishMessage<OutgoingMail>().ToLocalQueue(Queue);
    }
}
