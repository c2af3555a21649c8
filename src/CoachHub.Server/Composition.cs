using CoachHub.Server.Accounts;
using CoachHub.Server.Features.Athletes;
using CoachHub.Server.Features.Plans;
using CoachHub.Server.Features.Squads;
using CoachHub.Server.Jobs;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using CoachHub.Server.Realtime;
using CoachHub.Server.Web;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Npgsql;

namespace CoachHub.Server;

/// <summary>What every CoachHub node is made of: its database, Marten's events and the read models, the HTTP pipeline.</summary>
public static class Composition
{
    public static WebApplicationBuilder AddCoachHubPlatform(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = DatabaseSettings.ConnectionString(builder.Configuration);
        var node = NodeIdentity.From(builder.Configuration);
        builder.Services.AddSingleton(node);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AthleteClock>();
        builder.Services.AddCoachHubDatabase(connectionString, node);
        builder.Services.AddHostedService<ServerMigrations>();
        // Our own event store (ADR 0001) is gone: a node configured for it must not start on Marten unnoticed.
        if (builder.Configuration["CoachHub:EventStore"] is { Length: > 0 } store && store != "marten")
            throw new InvalidOperationException($"CoachHub:EventStore is '{store}': CoachHub stores its events in Marten only (ADR 0006). Remove the setting.");
        builder.Services.AddCoachHubMarten(ConfigureMarten).WithWolverine(forwarding =>
        {
            LiveNewsSetup.Forward(forwarding);
            JobsSetup.Forward(forwarding);
        });
        builder.Services.AddSingleton<CoachingQueries>();
        builder.Services.AddSingleton<Features.Athletes.FeedAddresses>();
        builder.Services.AddSingleton<ConversationQueries>();
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ReadModelRebuilds>(sp, EventTypesByName));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadModelRebuilds>());

        builder.Services.ConfigureHttpJsonOptions(RequestBody.ConfigureJson);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();
        // The API reads 64 KB of a body at most (RequestBody); Kestrel lets up to 4 MB arrive, so that an early answer
        // can read and discard the rest and the client hears it (EarlyAnswers).
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = EarlyAnswers.DrainBytes);
        builder.Services.AddOpenApi();
        builder.AddCoachHubTelemetry(node.Name);
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        builder.AddCoachHubJobs();
        builder.AddCoachHubMail();
        builder.AddCoachHubLive();
        builder.AddCoachHubMessaging(options =>
        {
            LiveNewsSetup.Route(options);
            JobsSetup.Route(options);
            MailSetup.Route(options);
        });
        // ./coachhub run turns this on: a demo squad to click around in, seeded once.
        if (builder.Configuration.GetValue("CoachHub:SeedDemo", false)) builder.Services.AddHostedService<Demo.DemoSeeder>();
        return builder;
    }

    /// <summary>Every event CoachHub stores, under its versioned type name.</summary>
    public static IReadOnlyList<(Type Type, string Name)> StoredEvents { get; } =
    [
        .. Domain.CoachingEvents.All.Select(t => (t, Domain.CoachingEvents.TypeNameOf(t))),
        (typeof(AccountRegistered), AccountRegistered.TypeName),
        (typeof(PasswordChanged), PasswordChanged.TypeName),
    ];

    /// <summary>Each stored event's CLR type by its type name.</summary>
    public static IReadOnlyDictionary<string, Type> EventTypesByName { get; } = StoredEvents.ToDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal);

    /// <summary>Marten as every node configures it: our events (Platform/MartenStore) and the coaching read model, inline.</summary>
    public static void ConfigureMarten(StoreOptions options)
    {
        MartenStore.Configure(options, StoredEvents);
        options.Projections.Add(new CoachingMartenProjection(), JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        options.Schema.For<LogImportProgress>();
    }

    public static WebApplication UseCoachHubPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Which node answered: for operators reading logs behind a load balancer, and for the topology test.
        // The client's own address and scheme, from the forwarded headers of known proxies only (SignInLimits).
        app.UseForwardedHeaders();
        // First, so that every early answer after it (authentication, limits, problems) closes honestly.
        app.UseHonestEarlyAnswers();
        var node = app.Services.GetRequiredService<NodeIdentity>().Name;
        app.Use((http, next) =>
        {
            http.Response.Headers["X-CoachHub-Node"] = node;
            return next(http);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapCoachHubMetrics();
        // The web app's files are public too: the sign-in page must load before anyone has signed in.
        app.UseCoachHubWebApp();
        // The interactive API page is public, so it is served before authentication.
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "CoachHub API");
            o.RoutePrefix = "docs";
            o.DocumentTitle = "CoachHub API";
        });
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseSignedOutSessionCheck();
        app.UseAuthorization();
        app.UseCoachHubJobsDashboard();
        app.UseWhen(IdempotentReplies.Applies, b => b.UseMiddleware<IdempotentReplies>());
        return app;
    }

    public static WebApplication MapCoachHubEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Live: the process answers. Ready: it can reach PostgreSQL, so a load balancer may send it work.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableHttpMetrics();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous().DisableHttpMetrics();
        app.MapOpenApi().AllowAnonymous();
        app.MapCoachHubWebApp();
        app.MapHub<Realtime.LiveHub>(Realtime.LiveHub.Path);
        var api = app.MapGroup("").AddEndpointFilter<PreconditionFilter>();
        AccountEndpoints.Map(api);
        PasswordEndpoints.Map(api);
        Features.SignUp.SignUpEndpoints.Map(api);
        SquadsModule.Map(api);
        AthletesModule.Map(api);
        PlansModule.Map(api);
        Features.Operations.RebuildReadModelEndpoints.Map(api);
        Features.Operations.DeadLetterEndpoints.Map(api);
        return app;
    }
}

/// <summary>
/// The server's own tables, Marten's, and the read model's, migrated before anything uses them; then a log from
/// before Marten copied in once (<see cref="LogImport"/>). CoachHub:CreateSchemaOnStart=false (test hosts) leaves
/// the schemas to `migrate`, run once on their template.
/// </summary>
internal sealed class ServerMigrations(NpgsqlDataSource db, IDocumentStore marten, Wolverine.Persistence.Durability.IMessageStore messages,
    IConfiguration configuration, ILogger<ServerMigrations> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("CoachHub:CreateSchemaOnStart", true)) await MigrateAsync(cancellationToken);
        else await LogImport.RunAsync(marten, db, logger, cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await Platform.SchemaMigrator.MigrateAsync(db, typeof(ServerMigrations).Assembly, "server", logger, cancellationToken);
        await marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync(JasperFx.AutoCreate.CreateOrUpdate);
        // Wolverine's envelopes, outbox and dead letters (schema wolverine): its own start only checks they are there.
        await messages.Admin.MigrateAsync(JasperFx.AutoCreate.CreateOrUpdate);
        // Hangfire's jobs, schedules and history (schema hangfire), by its own installer, which upgrades in place. It
        // takes no lock of its own: under the migrations' lock, so that nodes starting together do not collide.
        await Platform.SchemaMigrator.UnderLockAsync(db, connection =>
        {
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(connection, JobsSetup.Schema);
            return Task.CompletedTask;
        }, cancellationToken);
        // The tables before the import: Marten's inline projection fills them as the old log comes in.
        await CoachingRebuild.EnsureCurrentAsync(db, Composition.EventTypesByName, logger, cancellationToken);
        await LogImport.RunAsync(marten, db, logger, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Operators' steps outside the web server: migrations, rebuilding the read model with progress, admin accounts.</summary>
public static class Maintenance
{
    /// <summary>`migrate`: every schema the server uses (its tables, Marten's, the read model's), then exit.</summary>
    public static async Task<int> MigrateAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await ActivatorUtilities.CreateInstance<ServerMigrations>(app.Services).MigrateAsync(CancellationToken.None);
        Console.WriteLine("migrated");
        return 0;
    }

    public static async Task<int> RebuildAsync(WebApplication app, string? name)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (name != "coaching")
        {
            await Console.Error.WriteLineAsync("usage: ./coachhub rebuild coaching   (the read model behind every view)");
            return 2;
        }
        // A database no node has started on yet: its schemas first, and a log from before Marten copied in.
        await ActivatorUtilities.CreateInstance<ServerMigrations>(app.Services).MigrateAsync(CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Recorded with the admins' rebuilds, so the web app's operations page lists it too.
        var run = await app.Services.GetRequiredService<ReadModelRebuilds>().RunHereAsync($"the command line ({Environment.UserName})",
            (done, total) => Console.WriteLine($"rebuilding coaching from Marten's log: {done:N0} of {total:N0} events"), CancellationToken.None);
        if (run is null)
        {
            await Console.Error.WriteLineAsync("Another rebuild is running (see GET /api/admin/rebuilds); try again when it is done.");
            return 1;
        }
        if (run.State != "done")
        {
            await Console.Error.WriteLineAsync($"The rebuild {run.State}: {run.Error}");
            return 1;
        }
        Console.WriteLine($"rebuilt coaching: {run.Events:N0} events in {clock.Elapsed.TotalSeconds:0.0} s ({run.Events / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} events/s)");
        return 0;
    }

    /// <summary>`admin EMAIL NAME`: an operator's account, its password read from the first line of standard input.</summary>
    public static async Task<int> AddAdminAsync(WebApplication app, string? email, string? name)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(name))
        {
            await Console.Error.WriteLineAsync("usage: ./coachhub admin EMAIL NAME   (the password is asked for, or read from standard input)");
            return 2;
        }
        var password = await Console.In.ReadLineAsync() ?? "";
        await ActivatorUtilities.CreateInstance<ServerMigrations>(app.Services).MigrateAsync(CancellationToken.None);
        var errors = await AdminAccounts.RegisterAsync(app.Services.GetRequiredService<StreamStates>(), TimeProvider.System, email, name, password);
        foreach (var error in errors) await Console.Error.WriteLineAsync($"{error.Field}: {error.Message}");
        if (errors.Count > 0) return 1;
        Console.WriteLine($"Admin account {email.Trim()} created: sign in at / to reach the operations page.");
        return 0;
    }
}
