using System.Net;
using CoachHub.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoachHub.Server.Tests;

public sealed class HealthTests(BlankPostgresDatabase db) : IClassFixture<BlankPostgresDatabase>
{
    private static WebApplicationFactory<Program> Factory(string connectionString) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:CoachHub", connectionString);
            // Health only: no scheduler working against a database this class drops under it.
            b.UseSetting("CoachHub:RunJobs", "false");
        });

    [Fact]
    public async Task Live_and_ready_answer_healthy_when_PostgreSQL_answers()
    {
        await using var app = Factory(db.ConnectionString);
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        // On a blank database, start-up migrated the server's tables, Marten's (in its own schema) and the read model's.
        Assert.True(await db.ScalarAsync<long>("select count(*) from public.schema_migrations where scope = 'server'") >= 1);
        Assert.Equal(CoachHub.Server.ReadModels.CoachingProjection.Version, await db.ScalarAsync<int>("select version from public.read_models where name = 'coaching'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from proj_coaching.athletes"));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from pg_namespace where nspname = 'es'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from pg_tables where schemaname = 'events' and tablename = 'mt_events'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from pg_tables where schemaname = 'public' and tablename like 'mt\\_%'"));
    }

    [Fact]
    public async Task Ready_reports_unavailable_when_the_database_is_gone_while_live_stays_up()
    {
        var gone = new PostgresDatabase();
        await gone.InitializeAsync();
        await using var app = Factory(gone.ConnectionString);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await gone.DisposeAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_node_still_configured_for_the_old_event_store_refuses_to_start_and_says_why()
    {
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:CoachHub", db.ConnectionString);
            b.UseSetting("CoachHub:EventStore", "own");
        });
        var refused = Assert.Throws<InvalidOperationException>(() => app.CreateClient());
        Assert.Contains("Marten only", refused.Message, StringComparison.Ordinal);
    }
}
