using CoachHub.Testing;

namespace CoachHub.Server.Tests;

/// <summary>
/// The server loads Wolverine's handler code pre-generated (TypeLoadMode.Static, ADR 0007): what is committed under
/// src/CoachHub.Server/Internal/Generated must be what today's handlers generate, or a node would run yesterday's
/// code, or refuse to start. `./coachhub codegen` rewrites it.
/// </summary>
public sealed class GeneratedCodeTests
{
    [Fact]
    public async Task The_committed_handler_code_is_what_the_handlers_generate_now()
    {
        var db = new PostgresDatabase();
        await db.InitializeAsync();
        try
        {
            // The server's own `codegen write`, run where its build is: it writes under that folder, and leaves there
            // whatever an earlier run wrote for a handler since renamed, so the folder starts empty.
            var written = Path.Combine(ServerProcess.ServerFolder(), "Internal", "Generated");
            if (Directory.Exists(written)) Directory.Delete(written, recursive: true);
            var (exit, output) = await ServerProcess.RunCommandAsync(db.ConnectionString, null, "codegen", "write");
            Assert.True(exit == 0, output);
            var committed = Path.Combine(ServerProcess.RepositoryRoot(), "src", "CoachHub.Server", "Internal", "Generated");
            Assert.Equal(Files(committed), Files(written));
            foreach (var file in Files(committed))
                Assert.True(File.ReadAllText(Path.Combine(committed, file)) == File.ReadAllText(Path.Combine(written, file)),
                    $"{file} is stale: run ./coachhub codegen and commit what it writes.");
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private static List<string> Files(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)]
            : [];
}
