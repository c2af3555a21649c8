using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoachHub.Server.Platform;

/// <summary>
/// Applies numbered, embedded .sql files (NNNN_name.sql) once each, in order, under an advisory lock so that
/// nodes starting together do not race. Each file runs in its own transaction.
/// </summary>
public static class SchemaMigrator
{
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, Assembly assembly, string scope, ILogger? logger = null, CancellationToken ct = default)
    {
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(".Migrations.", StringComparison.Ordinal))
            .Select(n => (Resource: n, File: n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..]))
            .Select(x => (x.Resource, x.File, Version: int.Parse(x.File.AsSpan(0, x.File.IndexOf('_')), System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(x => x.Version)
            .ToList();
        if (scripts.Select(s => s.Version).Distinct().Count() != scripts.Count)
            throw new InvalidOperationException($"Two migrations of '{scope}' share a number.");

        await UnderLockAsync(dataSource, async conn =>
        {
            await Exec(conn, null, """
                create table if not exists public.schema_migrations (
                    scope text not null, version int not null, name text not null,
                    applied_at timestamptz not null default now(), primary key (scope, version))
                """, ct).ConfigureAwait(false);
            var applied = new HashSet<int>();
            await using (var cmd = new NpgsqlCommand("select version from public.schema_migrations where scope = $1", conn))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = scope });
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false)) applied.Add(r.GetInt32(0));
            }
            foreach (var (resource, file, version) in scripts.Where(s => !applied.Contains(s.Version)))
            {
                string sql;
                await using (var stream = assembly.GetManifestResourceStream(resource)!)
                using (var reader = new StreamReader(stream))
                    sql = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
                await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
                await Exec(conn, tx, sql, ct).ConfigureAwait(false);
                await using (var cmd = new NpgsqlCommand("insert into public.schema_migrations (scope, version, name) values ($1, $2, $3)", conn, tx))
                {
                    cmd.Parameters.Add(new NpgsqlParameter { Value = scope });
                    cmd.Parameters.Add(new NpgsqlParameter { Value = version });
                    cmd.Parameters.Add(new NpgsqlParameter { Value = file });
                    await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                await tx.CommitAsync(ct).ConfigureAwait(false);
                logger?.LogInformation("Applied migration {Scope}/{File}", scope, file);
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a connection holding the migrations' advisory lock: schema changes by other
    /// installers (Hangfire's) take the same turn, so nodes starting together on an empty database do not collide.
    /// </summary>
    public static async Task UnderLockAsync(NpgsqlDataSource dataSource, Func<NpgsqlConnection, Task> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(work);
        await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await Exec(conn, null, "select pg_advisory_lock(hashtextextended('coachhub:migrations', 0))", ct).ConfigureAwait(false);
        try
        {
            await work(conn).ConfigureAwait(false);
        }
        finally
        {
            await Exec(conn, null, "select pg_advisory_unlock(hashtextextended('coachhub:migrations', 0))", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
