namespace CoachHub.Deploy.Tests;

/// <summary>deploy/k8s against the Kubernetes and CloudNativePG schemas, and the shape of docker-compose.yml.</summary>
public sealed class ManifestTests
{
    private static readonly string Validator = Path.Combine(Repo.Root, "deploy", "validate");

    private static async Task EnsureValidatorAsync()
    {
        if (Directory.Exists(Path.Combine(Validator, "node_modules", "kubernetes-models"))) return;
        var (code, output) = await Repo.RunAsync("npm", Validator, "ci", "--no-audit", "--no-fund");
        Assert.True(code == 0, $"npm ci failed:\n{output}");
    }

    [Fact]
    public async Task Every_manifest_matches_its_schema_and_compose_has_the_topology()
    {
        await EnsureValidatorAsync();
        var (code, output) = await Repo.RunAsync("node", Validator, "validate.mjs");

        Assert.True(code == 0, output);
        foreach (var kind in new[] { "apps/v1/Deployment", "policy/v1/PodDisruptionBudget", "autoscaling/v2/HorizontalPodAutoscaler",
                     "networking.k8s.io/v1/Ingress", "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/ScheduledBackup" })
            Assert.Contains(kind, output, StringComparison.Ordinal);
        Assert.Contains("docker-compose.yml: postgres 17, redis, 2 nodes", output, StringComparison.Ordinal);
        // On Kubernetes too, every node is on the backplane, and the backplane's Service is the one they name.
        var nodes = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "deploy", "k8s", "coachhub.yaml"));
        var redis = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "deploy", "k8s", "redis.yaml"));
        Assert.Contains("name: ConnectionStrings__Redis", nodes, StringComparison.Ordinal);
        Assert.Contains("value: \"coachhub-redis:6379\"", nodes, StringComparison.Ordinal);
        Assert.Contains("ok   redis.yaml", output, StringComparison.Ordinal);
        Assert.Contains("name: coachhub-redis", redis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("coachhub.yaml", "replicas: 2", "replicas: two", "spec/replicas must be integer")]
    [InlineData("postgres.yaml", "instances: 3", "instances: three", "spec/instances must be integer")]
    [InlineData("coachhub.yaml", "kind: Deployment", "kind: Deploymint", "no schema known")]
    public async Task A_broken_manifest_is_refused_with_the_field_named(string file, string good, string bad, string message)
    {
        await EnsureValidatorAsync();
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}-{file}");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Path.Combine(Repo.Root, "deploy", "k8s", file))).Replace(good, bad, StringComparison.Ordinal));
        try
        {
            var (code, output) = await Repo.RunAsync("node", Validator, "validate.mjs", broken);
            Assert.Equal(1, code);
            Assert.Contains(message, output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }
}
