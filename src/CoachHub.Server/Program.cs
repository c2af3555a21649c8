using CoachHub.Server.Accounts;
using CoachHub.Server.Platform;

var rebuild = args is ["rebuild", ..];
var builder = WebApplication.CreateBuilder(rebuild ? [] : args);
builder.AddCoachHubPlatform();
builder.AddCoachHubAuth();

var app = builder.Build();
if (rebuild) return await Maintenance.RebuildAsync(app, args.ElementAtOrDefault(1));

app.UseCoachHubPipeline();
app.MapCoachHubEndpoints();
await app.RunAsync();
return 0;
