using System.Runtime.CompilerServices;

namespace CoachHub.Server.Tests;

internal static class WolverineTestSetup
{
    /// <summary>
    /// Program ends in RunJasperFxCommands, which WebApplicationFactory never calls: JasperFx starts the host for it
    /// when told to, before any test builds one.
    /// </summary>
    [ModuleInitializer]
    internal static void StartHostsUnderWebApplicationFactory() => JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
}
