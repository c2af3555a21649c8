using System.Text.Json.Nodes;
using CoachHub.Testing;

namespace CoachHub.EventStore.Tests;

public sealed class TypesTests : FreshDatabaseTest
{
    [Fact]
    public async Task Events_stored_under_an_old_version_are_upcast_when_read()
    {
        // Yesterday's build wrote v1 ...
        await using (var old = await Stores.CreateAsync(Db, "old", o =>
        {
            o.Types.Register("account.opened.v1", TestJson.Default.AccountOpenedV1);
        }))
            await old.AppendAsync("acct-up", ExpectedVersion.NoStream, new AccountOpenedV1("Ada Lovelace"));

        // ... today's reads it as v2 through an upcaster.
        var options = Stores.Options(Db, "new");
        options.Types.Upcast("account.opened.v1", "account.opened.v2", v1 =>
        {
            var parts = v1["name"]!.GetValue<string>().Split(' ', 2);
            return new JsonObject { ["firstName"] = parts[0], ["lastName"] = parts.ElementAtOrDefault(1) ?? "" };
        });
        await using var store = new PostgresEventStore(options);

        var e = Assert.Single(await store.ReadStreamAsync("acct-up"));
        Assert.Equal("account.opened.v1", e.StoredType);
        Assert.Equal("account.opened.v2", e.Type);
        Assert.Equal(new AccountOpened("Ada", "Lovelace"), e.Data);
    }

    [Fact]
    public async Task An_unknown_type_name_is_an_error_naming_the_type_and_the_position()
    {
        await using var store = await Stores.CreateAsync(Db);
        await Db.ExecuteAsync("""
            insert into es.events (stream_id, stream_version, event_id, type, data, metadata)
            values ('mystery', 1, gen_random_uuid(), 'ledger.closed.v9', '{}', '{}')
            """);
        var e = Assert.Single(await store.ReadStreamAsync("mystery"));

        var ex = Assert.Throws<UnknownEventTypeException>(() => e.Data);
        Assert.Equal("ledger.closed.v9", ex.TypeName);
        Assert.Equal(e.Position, ex.Position);
        Assert.Contains("ledger.closed.v9", ex.Message, StringComparison.Ordinal);
        Assert.Contains(e.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CoachHub.Domain.RunLogged")]
    [InlineData("run-logged")]
    [InlineData("Run.Logged.v1")]
    [InlineData("run.logged.V1")]
    public void Type_names_must_be_explicit_lower_case_and_versioned(string name)
    {
        var types = new EventTypes();
        Assert.Throws<ArgumentException>(() => types.Register(name, TestJson.Default.Deposited));
    }

    [Fact]
    public void A_type_or_a_name_cannot_be_registered_twice()
    {
        var types = new EventTypes().Register("deposit.made.v1", TestJson.Default.Deposited);
        Assert.Throws<ArgumentException>(() => types.Register("deposit.made.v2", TestJson.Default.Deposited));
        Assert.Throws<ArgumentException>(() => types.Register("deposit.made.v1", TestJson.Default.Withdrawn));
        Assert.Equal("deposit.made.v1", types.NameOf(typeof(Deposited)));
    }
}
