using CoachHub.Testing;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>Errors are shown, not swallowed: next to the field they belong to, or at the top of the form.</summary>
[Collection(WebAppGroup.Name)]
public sealed class FormTests(WebAppServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task A_wrong_password_is_said_on_the_sign_in_form_and_sign_up_errors_stand_next_to_their_fields()
    {
        var coach = await server.CoachAsync("Cora Coach");
        await using var browser = await server.NewPageAsync(output);
        var page = browser.Page;
        await page.GotoAsync("/");
        await page.GetByLabel("Email").FillAsync(coach.Email);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match an account");
        Assert.EndsWith("#/signin", page.Url);

        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await page.GetByLabel("Your name").FillAsync("Copy Cat");
        await page.GetByLabel("Email").FillAsync(coach.Email.ToUpperInvariant());
        await page.GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field='password'] .error")).ToHaveTextAsync("Password must be 12 to 128 characters.");
        await Assertions.Expect(page.GetByLabel("Password")).ToHaveAttributeAsync("aria-invalid", "true");
        await browser.ScreenshotAsync("sign-up-errors", fullPage: false);

        await page.GetByLabel("Password").FillAsync(WebAppServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field='email'] .error")).ToContainTextAsync("already registered");
        await Assertions.Expect(page.Locator("[data-field='password'] .error")).ToBeEmptyAsync();
        await Assertions.Expect(page.GetByLabel("Password")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        browser.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_report_form_names_each_missing_answer_and_shows_the_apis_refusal_next_to_the_field()
    {
        var coach = await server.CoachAsync("Cora Coach");
        var squadId = Seed.Id(await WebAppServer.PostAsync(coach.Http(), "/api/squads", new { name = "Lunchtime Loopers" }), "squadId");
        var code = (await WebAppServer.PostAsync(coach.Http(), $"/api/squads/{squadId}/invites", new { })).GetProperty("code").GetString();
        var athlete = await server.AthleteAsync("Ana Runner", code);
        await using var phone = await server.NewPageAsync(output, phone: true);
        var page = phone.Page;
        await phone.SignInAsync(athlete, "report");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field='distanceMeters'] .error")).ToContainTextAsync("how far");
        await Assertions.Expect(page.Locator("[data-field='pain.painNow'] .error")).ToContainTextAsync("0 to 10");
        foreach (var flag in new[] { "saddleNumbness", "bladderOrBowelChange", "bothLegsNumbOrWeak", "legWeakness", "feverOrUnwell", "worseAtNight", "unexplainedWeightLoss", "afterFallOrImpact" })
            await Assertions.Expect(page.Locator($"[data-field='redFlags.{flag}'] .error")).ToHaveTextAsync("Please answer yes or no.");
        // The first unanswered field has the focus, for keyboard and screen-reader users.
        Assert.Equal("distanceMeters", await page.EvaluateAsync<string>("() => document.activeElement.name"));
        await phone.ScreenshotAsync("report-form-errors-375px");

        // Everything answered, but a distance the API refuses: its problem+json error lands next to the field.
        await page.GetByLabel("Distance (km)").FillAsync("450");
        await page.GetByLabel("Time (minutes)").FillAsync("50");
        await page.Locator("[data-field='sessionRpe']").GetByRole(AriaRole.Radio, new() { Name = "4", Exact = true }).CheckAsync();
        await page.Locator("[data-field='pain.painNow']").GetByRole(AriaRole.Radio, new() { Name = "1 out of 10" }).CheckAsync();
        foreach (var answer in await page.Locator(".red-flags [data-field]").GetByRole(AriaRole.Radio, new() { Name = "No" }).AllAsync())
            await answer.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field='distanceMeters'] .error")).ToContainTextAsync("400");
        await Assertions.Expect(page.Locator("[data-field='redFlags.legWeakness'] .error")).ToBeEmptyAsync();
        var history = await WebAppServer.GetAsync(athlete.Http(), $"/api/athletes/{athlete.Id}/history");
        Assert.Equal(0, history.GetProperty("total").GetInt64());

        // Corrected, it goes through; nothing in it calls for advice.
        await page.GetByLabel("Distance (km)").FillAsync("4.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Report saved" })).ToBeVisibleAsync();
        history = await WebAppServer.GetAsync(athlete.Http(), $"/api/athletes/{athlete.Id}/history");
        Assert.Equal(2, history.GetProperty("total").GetInt64());
        // The copy issue 31 found: an all-clear is not "something to keep an eye on", and no morning is spoken of before it.
        var saved = page.Locator(".report-result");
        await Assertions.Expect(saved).ToContainTextAsync("Nothing in this report needs action");
        await Assertions.Expect(saved).Not.ToContainTextAsync("keep an eye on");
        await Assertions.Expect(saved).Not.ToContainTextAsync("next morning");
        phone.AssertNoScriptErrors();

        // The coach's page of the athlete speaks of the athlete, not to them, and counts "1 report".
        await using var desk = await server.NewPageAsync(output);
        await desk.SignInAsync(coach, "board");
        await desk.Page.GotoAsync($"/#/athletes/{athlete.Id}");
        var coachView = desk.Page.Locator("main");
        await Assertions.Expect(coachView).ToContainTextAsync("1 report;");
        await Assertions.Expect(coachView).Not.ToContainTextAsync("Your back");
        await Assertions.Expect(coachView).Not.ToContainTextAsync("1 reports");
        desk.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Signing_in_works_with_the_keyboard_alone()
    {
        var coach = await server.CoachAsync("Kim Keys");
        await using var browser = await server.NewPageAsync(output);
        var page = browser.Page;
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab"); // the skip link comes first
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.GetByLabel("Email").FocusAsync();
        await page.Keyboard.TypeAsync(coach.Email);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(WebAppServer.Password);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/board"));
        await Assertions.Expect(page.GetByText("You have no squad yet")).ToBeVisibleAsync();
        browser.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_through_the_mailed_link_and_changed_again_on_the_account_page()
    {
        var coach = await server.CoachAsync("Fay Forgetful");
        await using var browser = await server.NewPageAsync(output);
        var page = browser.Page;
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        // The sign-in form has an Email field too: fill the new page's, once it is there.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forgot your password?" })).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync(coach.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mail me a link" }).ClickAsync();
        await Assertions.Expect(page.Locator("main [role=status]")).ToContainTextAsync("If this email has a CoachHub account");

        var mail = await TestMailbox.WaitForAsync(coach.Email);
        var token = Regex.Match(mail.TextBody ?? "", "#/reset/([A-Za-z0-9_-]+)").Groups[1].Value;
        Assert.NotEmpty(token);
        await page.GotoAsync($"/#/reset/{token}");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the new password" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field='newPassword'] .error")).ToContainTextAsync("12 to 128 characters");
        const string Fresh = "lanterns over the harbour wall";
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(Fresh);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the new password" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/signin\\?reset=1"));
        await Assertions.Expect(page.GetByText("Your new password is saved")).ToBeVisibleAsync();

        await page.GetByLabel("Email").FillAsync(coach.Email);
        await page.GetByLabel("Password").FillAsync(Fresh);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/board"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await page.GetByLabel("Current password", new() { Exact = true }).FillAsync("not it at all, sorry");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("another evening by the sea");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field='currentPassword'] .error")).ToContainTextAsync("is not your current password");
        await page.GetByLabel("Current password", new() { Exact = true }).FillAsync(Fresh);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.Locator("main [role=status]")).ToContainTextAsync("Your password is changed");
        await Assertions.Expect(page.Locator("[data-field='currentPassword'] .error")).ToBeEmptyAsync();
        await browser.ScreenshotAsync("account-password-changed", fullPage: false);
        browser.AssertNoScriptErrors();
    }
}
