using CoachHub.Server.Accounts;
using CoachHub.Server;
using CoachHub.Server.Platform;
using JasperFx;

// A container's health check: the runtime image has no curl, so the server binary probes itself.
if (args is ["healthcheck", ..]) return await HealthProbe.RunAsync(args.ElementAtOrDefault(1));

// A key-encryption certificate for a machine of one's own (./coachhub makes one; production mounts its own).
if (args is ["dataprotection-certificate", var certificatePath, ..]) return KeyRing.WriteCertificate(certificatePath);

var maintenance = args is ["rebuild" or "migrate" or "admin", ..];
var builder = WebApplication.CreateBuilder(maintenance ? [] : args);
builder.AddCoachHubPlatform();
builder.AddCoachHubAuth();

var app = builder.Build();
if (args is ["migrate", ..]) return await Maintenance.MigrateAsync(app);
if (args is ["rebuild", ..]) return await Maintenance.RebuildAsync(app, args.ElementAtOrDefault(1));
if (args is ["admin", ..]) return await Maintenance.AddAdminAsync(app, args.ElementAtOrDefault(1), args.ElementAtOrDefault(2));

app.UseCoachHubPipeline();
app.MapCoachHubEndpoints();
// Serves, or runs a JasperFx command: `codegen write` regenerates Wolverine's handler code (./coachhub codegen).
return await app.RunJasperFxCommands(args);
