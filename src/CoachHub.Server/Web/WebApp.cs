using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace CoachHub.Server.Web;

/// <summary>
/// The web app for coaches and athletes: static files from wwwroot (plain ES modules, CSS, and the npm packages the
/// build copies to wwwroot/lib), served before authentication so that they load for someone not signed in yet.
/// The app routes with the URL's hash; the API's invite link (/join?code=...) leads to its sign-up page.
/// </summary>
public static class WebApp
{
    public const string JoinPath = "/join";

    public static WebApplication UseCoachHubWebApp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            // Always revalidated (ETag / Last-Modified): a new deployment is picked up on the next load.
            OnPrepareResponse = ctx => ctx.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
        return app;
    }

    /// <summary>The join link an invite hands out: the app's sign-up page with the code filled in.</summary>
    public static void MapCoachHubWebApp(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(JoinPath, (string? code) =>
                Results.Redirect(string.IsNullOrWhiteSpace(code) ? "/#/signup?role=athlete" : $"/#/signup?role=athlete&code={Uri.EscapeDataString(code.Trim())}"))
            .AllowAnonymous().ExcludeFromDescription();
    }
}
