using CoachHub.Server.Platform;

var builder = WebApplication.CreateBuilder(args);
builder.AddCoachHubPlatform();

var app = builder.Build();
app.MapHealthEndpoints();

await app.RunAsync();
