using CoachHub.Domain;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;

namespace CoachHub.Domain.Tests;

/// <summary>What a planned session and an invite may hold: bad input names its field.</summary>
public sealed class SessionValidationTests
{
    private static readonly DateOnly Monday = new(2026, 12, 7);

    private static PlannedSession Session(SessionType type, int? meters = null, int? seconds = null, IReadOnlyList<string>? exercises = null) =>
        new("s1", Monday, type, type == SessionType.Rest ? Intensity.Rest : Intensity.Easy, meters, seconds, "", exercises ?? []);

    private static IEnumerable<string> FieldsOf(PlannedSession session) => PlannedSession.Validate(session).Select(e => e.Field);

    [Fact]
    public void A_rest_day_with_a_distance_or_a_duration_is_refused_and_a_plain_rest_day_is_fine()
    {
        Assert.Contains("type", FieldsOf(Session(SessionType.Rest, meters: 5_000)));
        Assert.Contains("type", FieldsOf(Session(SessionType.Rest, seconds: 1_800)));
        Assert.Empty(FieldsOf(Session(SessionType.Rest)));
    }

    [Fact]
    public void Exercises_are_names_never_null_or_blank()
    {
        Assert.Contains("exercises", FieldsOf(Session(SessionType.Strength, exercises: [null!])));
        Assert.Contains("exercises", FieldsOf(Session(SessionType.Strength, exercises: ["   "])));
        Assert.Contains("exercises", FieldsOf(Session(SessionType.Strength, exercises: [new string('x', 201)])));
        Assert.Empty(FieldsOf(Session(SessionType.Strength, exercises: ["bird dog", "side plank"])));
    }

    [Theory]
    [InlineData("not-an-email", false)]
    [InlineData("ana@localhost", false)]
    [InlineData("Ana <ana@example.com>", false)]
    [InlineData("ana@example.com", true)]
    [InlineData(null, true)]
    public void An_invite_for_someone_names_a_real_email_address(string? email, bool valid)
    {
        var now = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var errors = InviteAthlete.Validate(new InviteAthlete("ABC-123", now.AddDays(7), Email: email), now);
        Assert.Equal(valid, !errors.Any(e => e.Field == "email"));
    }
}
