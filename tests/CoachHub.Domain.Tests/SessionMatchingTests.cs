using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Tests.Support;

namespace CoachHub.Domain.Tests;

/// <summary>Runs matched to the day's planned sessions, and each session's colour as TrainingPeaks users know it.</summary>
public sealed class SessionMatchingTests
{
    private static readonly DateOnly Monday = new(2026, 11, 30);

    private static PlannedSession Session(string id, int day, SessionType type = SessionType.Easy, int? meters = 10_000, int? seconds = null) =>
        new(id, Monday.AddDays(day), type, Intensity.Easy, meters, seconds, id, []);

    private static RunLogged Run(int day, int meters, int seconds = 3_000, int hour = 7, string? session = null) =>
        new(Guid.NewGuid(), Clock.At(Monday.AddDays(day), hour), meters, seconds, WorkoutType.Easy, Surface.Road, 4, PlannedSessionId: session);

    private static readonly HashSet<string> None = [];

    [Theory]
    [InlineData(10_000, SessionCompliance.Green)]
    [InlineData(8_000, SessionCompliance.Green)]
    [InlineData(12_000, SessionCompliance.Green)]
    [InlineData(7_900, SessionCompliance.Yellow)]
    [InlineData(15_000, SessionCompliance.Yellow)]
    [InlineData(4_900, SessionCompliance.Orange)]
    [InlineData(15_100, SessionCompliance.Orange)]
    public void A_session_is_green_within_20_percent_yellow_to_50_and_orange_beyond(int meters, SessionCompliance expected) =>
        Assert.Equal(expected, SessionMatching.ComplianceOf(Session("mon", 0), Run(0, meters), Monday.AddDays(3)));

    [Fact]
    public void Without_a_planned_distance_the_duration_is_compared()
    {
        var session = Session("tempo", 1, SessionType.Tempo, meters: null, seconds: 2_400);
        Assert.Equal(SessionCompliance.Green, SessionMatching.ComplianceOf(session, Run(1, 1, seconds: 2_500), Monday.AddDays(3)));
        Assert.Equal(SessionCompliance.Orange, SessionMatching.ComplianceOf(session, Run(1, 50_000, seconds: 900), Monday.AddDays(3)));
    }

    [Fact]
    public void A_session_is_missed_once_its_day_is_over_and_still_to_come_on_its_day()
    {
        Assert.Equal(SessionCompliance.Red, SessionMatching.ComplianceOf(Session("mon", 0), null, Monday.AddDays(1)));
        Assert.Null(SessionMatching.ComplianceOf(Session("mon", 0), null, Monday));
        Assert.Null(SessionMatching.ComplianceOf(Session("wed", 2), null, Monday));
    }

    [Fact]
    public void Runs_go_to_their_days_sessions_one_each_and_the_rest_are_unplanned()
    {
        var sessions = new[] { Session("mon", 0), Session("mon-2", 0, meters: 5_000), Session("wed", 2), Session("str", 2, SessionType.Strength, meters: null) };
        var morning = Run(0, 9_500);
        var evening = Run(0, 5_000, hour: 18);
        var extra = Run(0, 3_000, hour: 20);
        var tuesday = Run(1, 6_000);
        var result = SessionMatching.Match(sessions, [evening, tuesday, extra, morning], None, Monday.AddDays(3));
        var byId = result.Sessions.ToDictionary(s => s.Session.SessionId);
        Assert.Equal(morning, byId["mon"].Run);
        Assert.Equal(evening, byId["mon-2"].Run);
        Assert.Null(byId["wed"].Run);
        Assert.Equal(SessionCompliance.Red, byId["wed"].Compliance);
        Assert.Null(byId["str"].Compliance); // strength takes no run and gets no colour
        Assert.Equal([extra, tuesday], result.Unplanned.OrderBy(r => r.StartedAt));
    }

    [Fact]
    public void A_run_naming_its_session_takes_it_even_on_another_day_and_a_suspended_session_is_neither_matched_nor_missed()
    {
        var sessions = new[] { Session("mon", 0), Session("tue", 1) };
        var named = Run(2, 10_000, session: "mon"); // Monday's session run on Wednesday
        var monday = Run(0, 10_000); // names none: Monday's session is taken, so it is unplanned
        var result = SessionMatching.Match(sessions, [monday, named], new HashSet<string> { "tue" }, Monday.AddDays(3));
        Assert.Equal(named, result.Sessions.Single(s => s.Session.SessionId == "mon").Run);
        var tuesday = result.Sessions.Single(s => s.Session.SessionId == "tue");
        Assert.True(tuesday.Suspended);
        Assert.Null(tuesday.Compliance);
        Assert.Equal([monday], result.Unplanned);
    }
}
