using System.Net;
using CoachHub.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoachHub.Server.Tests;

public sealed class HealthTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
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
        // Start-up migrated the event store into this database.
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from public.schema_migrations where scope = 'eventstore'"));
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
}
