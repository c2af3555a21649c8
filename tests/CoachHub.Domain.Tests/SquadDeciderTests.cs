using CoachHub.Domain;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Tests.Support;

namespace CoachHub.Domain.Tests;

public sealed class CoachDeciderTests
{
    private static readonly Guid CoachId = HistoryBuilder.Id(1);

    [Fact]
    public void RegisteringACoachRecordsIt() =>
        Spec.Coach()
            .When(new RegisterCoach(CoachId, " Maeve ", "maeve@example.org"))
            .Then(new CoachRegistered(CoachId, "Maeve", "maeve@example.org", Clock.Now));

    [Fact]
    public void RegisteringTheSameCoachAgainIsARetry() =>
        Spec.Coach()
            .Given(new CoachRegistered(CoachId, "Maeve", "maeve@example.org", Clock.Now))
            .When(new RegisterCoach(CoachId, "Maeve", "maeve@example.org"))
            .Then();

    [Fact]
    public void ACoachCannotBeRegisteredTwiceWithOtherDetails() =>
        Spec.Coach()
            .Given(new CoachRegistered(CoachId, "Maeve", "maeve@example.org", Clock.Now))
            .When(new RegisterCoach(CoachId, "Someone else", "else@example.org"))
            .ThenThrows("coach.already-registered");

    [Fact]
    public void AnEmailWithoutAnAtSignIsRefused() =>
        Spec.Coach().When(new RegisterCoach(CoachId, "Maeve", "maeve.example.org")).ThenRejectsField("email");
}

public sealed class SquadDeciderTests
{
    private static readonly Guid SquadId = HistoryBuilder.Id(10);
    private static readonly Guid CoachId = HistoryBuilder.Id(1);
    private static readonly Guid Aoife = HistoryBuilder.Id(2);
    private static readonly Guid Brian = HistoryBuilder.Id(3);
    private static readonly DateTimeOffset NextWeek = Clock.Now.AddDays(7);

    private static readonly SquadCreated Created = new(SquadId, CoachId, "Tuesday Harriers", SquadSettings.Default, Clock.Now.AddDays(-30));

    [Fact]
    public void A_withdrawn_invite_lets_nobody_in_and_withdrawing_it_again_changes_nothing()
    {
        var invited = new AthleteInvited("ABCD2345", null, false, NextWeek, Clock.Now);
        Spec.Squad().Given(Created, invited).When(new RevokeInvite("abcd2345", CoachId)).Then(new InviteRevoked("ABCD2345", CoachId, Clock.Now));
        var revoked = new InviteRevoked("ABCD2345", CoachId, Clock.Now);
        Spec.Squad().Given(Created, invited, revoked).When(new RevokeInvite("ABCD2345", CoachId)).Then();
        Spec.Squad().Given(Created, invited, revoked).When(new JoinSquad(Aoife, "ABCD2345")).ThenThrows("squad.invite-revoked");
        Spec.Squad().Given(Created, invited).When(new RevokeInvite("ABCD2345", Brian)).ThenThrows("squad.not-coach");
        Spec.Squad().Given(Created).When(new RevokeInvite("ZZZZ9999", CoachId)).ThenThrows("squad.invite-unknown");
    }

    [Fact]
    public void CreatingASquadUsesTheDefaultSettings()
    {
        Spec.Squad()
            .When(new CreateSquad(SquadId, CoachId, "Tuesday Harriers"))
            .Then(new SquadCreated(SquadId, CoachId, "Tuesday Harriers", SquadSettings.Default, Clock.Now));
        Assert.Equal(new SquadSettings(4, false, Units.Kilometres, DayOfWeek.Sunday, 18), SquadSettings.Default);
    }

    [Fact]
    public void ASquadCanKeepItsOwnClockForTheWeeklyAdjustment()
    {
        var dublin = SquadSettings.Default with { TimeZone = "Europe/Dublin" };
        Spec.Squad().Given(Created).When(new ChangeSquadSettings(dublin))
            .Then(new SquadSettingsChanged(4, false, Units.Kilometres, DayOfWeek.Sunday, 18, Clock.Now, "Europe/Dublin"));
        Assert.Equal(dublin, SquadDecider.Evolve(SquadDecider.Evolve(SquadDecider.Initial, Created),
            new SquadSettingsChanged(4, false, Units.Kilometres, DayOfWeek.Sunday, 18, Clock.Now, "Europe/Dublin")).Settings);
        Spec.Squad().Given(Created).When(new ChangeSquadSettings(SquadSettings.Default with { TimeZone = "not a zone!" })).ThenRejectsField("timeZone");
    }

    [Fact]
    public void TheWeeksAdjustmentsAreToldOnceAWeek()
    {
        var monday = new DateOnly(2026, 11, 23);
        var counts = new WeekAdjustmentCounts(Progressed: 3, Held: 1, Deloaded: 1, Paused: 0, ReturningToRun: 0, WaitingForApproval: 2, Unchanged: 1);
        Spec.Squad().Given(Created).When(new RecordWeekAdjustments(monday, counts)).Then(new WeekAdjustmentsCompleted(monday, counts, Clock.Now));
        Assert.Equal(8, counts.Athletes);
        Spec.Squad().Given(Created, new WeekAdjustmentsCompleted(monday, counts, Clock.Now)).When(new RecordWeekAdjustments(monday, counts)).Then();
        Spec.Squad().Given(Created, new WeekAdjustmentsCompleted(monday, counts, Clock.Now)).When(new RecordWeekAdjustments(monday.AddDays(7), counts))
            .Then(new WeekAdjustmentsCompleted(monday.AddDays(7), counts, Clock.Now));
        Spec.Squad().Given(Created).When(new RecordWeekAdjustments(monday.AddDays(1), counts)).ThenRejectsField("weekStart");
        Spec.Squad().Given(Created).When(new RecordWeekAdjustments(monday, counts with { Held = -1 })).ThenRejectsField("counts");
    }

    [Fact]
    public void ASquadCannotBeCreatedTwice() =>
        Spec.Squad().Given(Created).When(new CreateSquad(SquadId, CoachId, "Other name")).ThenThrows("squad.already-exists");

    [Fact]
    public void CommandsOnAMissingSquadFail() =>
        Spec.Squad().When(new RenameSquad("New name")).ThenThrows("squad.not-found");

    [Fact]
    public void RenamingRecordsTheNewName() =>
        Spec.Squad().Given(Created).When(new RenameSquad("Harriers")).Then(new SquadRenamed("Harriers", Clock.Now));

    [Fact]
    public void AnEmptyNameIsRefused() =>
        Spec.Squad().Given(Created).When(new RenameSquad("  ")).ThenRejectsField("name");

    [Fact]
    public void InvitingRecordsTheCodeNormalised() =>
        Spec.Squad()
            .Given(Created)
            .When(new InviteAthlete("run-2025", NextWeek, SingleUse: true, Email: "aoife@example.org"))
            .Then(new AthleteInvited("RUN-2025", "aoife@example.org", true, NextWeek, Clock.Now));

    [Fact]
    public void AnInviteThatHasAlreadyExpiredIsRefused() =>
        Spec.Squad().Given(Created).When(new InviteAthlete("RUN-2025", Clock.Now)).ThenRejectsField("expiresAt");

    [Fact]
    public void InviteCodesAreUniqueInASquad() =>
        Spec.Squad()
            .Given(Created, new AthleteInvited("RUN-2025", null, true, NextWeek, Clock.Now))
            .When(new InviteAthlete("run-2025", NextWeek))
            .ThenThrows("squad.invite-code-taken");

    [Fact]
    public void JoiningWithAValidCodeAddsTheAthlete()
    {
        var spec = Spec.Squad()
            .Given(Created, new AthleteInvited("RUN-2025", null, true, NextWeek, Clock.Now))
            .When(new JoinSquad(Aoife, "run-2025"));
        spec.Then(new AthleteJoined(Aoife, "RUN-2025", Clock.Now));
        Assert.True(spec.StateAfterDecision().IsMember(Aoife));
    }

    [Fact]
    public void AnUnknownCodeIsRefused() =>
        Spec.Squad().Given(Created).When(new JoinSquad(Aoife, "NOPE-123")).ThenThrows("squad.invite-unknown");

    [Fact]
    public void AnExpiredCodeIsRefused() =>
        Spec.Squad()
            .Given(Created, new AthleteInvited("RUN-2025", null, true, NextWeek, Clock.Now))
            .When(new JoinSquad(Aoife, "RUN-2025"), NextWeek)
            .ThenThrows("squad.invite-expired");

    [Fact]
    public void ACodeStillValidOneSecondBeforeExpiryWorks() =>
        Spec.Squad()
            .Given(Created, new AthleteInvited("RUN-2025", null, true, NextWeek, Clock.Now))
            .When(new JoinSquad(Aoife, "RUN-2025"), NextWeek.AddSeconds(-1))
            .Then(new AthleteJoined(Aoife, "RUN-2025", NextWeek.AddSeconds(-1)));

    [Fact]
    public void ASingleUseCodeWorksOnce() =>
        Spec.Squad()
            .Given(Created, new AthleteInvited("RUN-2025", null, true, NextWeek, Clock.Now), new AthleteJoined(Aoife, "RUN-2025", Clock.Now))
            .When(new JoinSquad(Brian, "RUN-2025"))
            .ThenThrows("squad.invite-used");

    [Fact]
    public void AMultiUseCodeWorksForSeveralAthletes() =>
        Spec.Squad()
            .Given(Created, new AthleteInvited("CLUB-2025", null, false, NextWeek, Clock.Now), new AthleteJoined(Aoife, "CLUB-2025", Clock.Now))
            .When(new JoinSquad(Brian, "CLUB-2025"))
            .Then(new AthleteJoined(Brian, "CLUB-2025", Clock.Now));

    [Fact]
    public void JoiningAgainIsARetry() =>
        Spec.Squad()
            .Given(Created, new AthleteInvited("RUN-2025", null, true, NextWeek, Clock.Now), new AthleteJoined(Aoife, "RUN-2025", Clock.Now))
            .When(new JoinSquad(Aoife, "RUN-2025"))
            .Then();

    [Fact]
    public void AMemberCanLeave() =>
        Spec.Squad()
            .Given(Created, new AthleteInvited("RUN-2025", null, true, NextWeek, Clock.Now), new AthleteJoined(Aoife, "RUN-2025", Clock.Now))
            .When(new LeaveSquad(Aoife))
            .Then(new AthleteLeft(Aoife, Clock.Now));

    private static readonly AthleteInvited Invited = new("HARRIERS1", null, false, Clock.Now.AddDays(30), Clock.Now.AddDays(-1));

    [Fact]
    public void AnAthleteInAnotherSquadIsAskedToConfirmTheMove()
    {
        var elsewhere = HistoryBuilder.Id(11);
        Spec.Squad().Given(Created, Invited).When(new JoinSquad(Aoife, "harriers1", elsewhere)).ThenThrows("squad.move-needs-confirmation");
        Spec.Squad().Given(Created, Invited).When(new JoinSquad(Aoife, "harriers1", elsewhere, ConfirmMove: true))
            .Then(new AthleteJoined(Aoife, "HARRIERS1", Clock.Now));
        // In no squad, or already in this one: no question to ask.
        Spec.Squad().Given(Created, Invited).When(new JoinSquad(Aoife, "harriers1")).Then(new AthleteJoined(Aoife, "HARRIERS1", Clock.Now));
        Spec.Squad().Given(Created, Invited, new AthleteJoined(Aoife, "HARRIERS1", Clock.Now)).When(new JoinSquad(Aoife, "harriers1", SquadId)).Then();
    }

    [Fact]
    public void ACoachOfTheSquadRemovesAnAthleteAndNoOneElseCan()
    {
        var joined = new AthleteJoined(Aoife, "HARRIERS1", Clock.Now.AddDays(-1));
        Spec.Squad().Given(Created, Invited, joined).When(new LeaveSquad(Aoife, RemovedBy: CoachId)).Then(new AthleteLeft(Aoife, Clock.Now, CoachId));
        Spec.Squad().Given(Created, Invited, joined).When(new LeaveSquad(Aoife, RemovedBy: Brian)).ThenThrows("squad.not-coach");
        var assistant = HistoryBuilder.Id(20);
        Spec.Squad().Given(Created, Invited, joined, new CoachAdded(assistant, CoachId, Clock.Now.AddDays(-1)))
            .When(new LeaveSquad(Aoife, RemovedBy: assistant)).Then(new AthleteLeft(Aoife, Clock.Now, assistant));
    }

    [Fact]
    public void OnlyTheHeadCoachAddsCoachesAndAddingTwiceIsARetry()
    {
        var assistant = HistoryBuilder.Id(20);
        var added = Spec.Squad().Given(Created).When(new AddCoach(assistant, CoachId));
        added.Then(new CoachAdded(assistant, CoachId, Clock.Now));
        Assert.True(added.StateAfterDecision().IsCoach(assistant));
        Spec.Squad().Given(Created, new CoachAdded(assistant, CoachId, Clock.Now)).When(new AddCoach(assistant, CoachId)).Then();
        Spec.Squad().Given(Created, new CoachAdded(assistant, CoachId, Clock.Now)).When(new AddCoach(HistoryBuilder.Id(21), assistant)).ThenThrows("squad.not-head-coach");
    }

    [Fact]
    public void AddedCoachesCannotRemoveTheHeadCoachWhoHandsTheSquadOverInstead()
    {
        var (assistant, other) = (HistoryBuilder.Id(20), HistoryBuilder.Id(21));
        var team = new object[] { Created, new CoachAdded(assistant, CoachId, Clock.Now), new CoachAdded(other, CoachId, Clock.Now) };
        Spec.Squad().Given(team).When(new RemoveCoach(CoachId, assistant)).ThenThrows("squad.head-coach-stays");
        Spec.Squad().Given(team).When(new RemoveCoach(other, assistant)).ThenThrows("squad.not-head-coach");
        Spec.Squad().Given(team).When(new RemoveCoach(other, CoachId)).Then(new CoachRemoved(other, CoachId, Clock.Now));
        Spec.Squad().Given(team).When(new RemoveCoach(assistant, assistant)).Then(new CoachRemoved(assistant, assistant, Clock.Now)); // stepping down
        Spec.Squad().Given([.. team, new CoachRemoved(other, CoachId, Clock.Now)]).When(new RemoveCoach(other, CoachId)).Then();

        Spec.Squad().Given(team).When(new HandOverSquad(assistant, other)).ThenThrows("squad.not-head-coach");
        Spec.Squad().Given(Created).When(new HandOverSquad(assistant, CoachId)).ThenThrows("squad.not-a-coach");
        var handed = Spec.Squad().Given(team).When(new HandOverSquad(assistant, CoachId));
        handed.Then(new SquadHandedOver(CoachId, assistant, Clock.Now));
        var after = handed.StateAfterDecision();
        Assert.Equal(assistant, after.CoachId);
        Assert.True(after.IsCoach(CoachId)); // the old head coach goes on coaching beside them
        // The new head coach now decides; the old one can no longer take them off.
        Spec.Squad().Given([.. team, new SquadHandedOver(CoachId, assistant, Clock.Now)]).When(new RemoveCoach(assistant, CoachId)).ThenThrows("squad.head-coach-stays");
        Spec.Squad().Given([.. team, new SquadHandedOver(CoachId, assistant, Clock.Now)]).When(new RemoveCoach(CoachId, assistant)).Then(new CoachRemoved(CoachId, assistant, Clock.Now));
    }

    [Fact]
    public void OnlyTheHeadCoachClosesTheSquadWhoseAthletesLeaveAndWhoseCodesStopAndNothingChangesItAfter()
    {
        var assistant = HistoryBuilder.Id(20);
        var joined = new AthleteJoined(Aoife, "HARRIERS1", Clock.Now.AddDays(-2));
        var squad = new object[] { Created, Invited, joined, new CoachAdded(assistant, CoachId, Clock.Now) };
        Spec.Squad().Given(squad).When(new CloseSquad(assistant)).ThenThrows("squad.not-head-coach");
        var closing = Spec.Squad().Given(squad).When(new CloseSquad(CoachId));
        var events = closing.ThenEvents();
        Assert.Equal(new AthleteLeft(Aoife, Clock.Now, CoachId), events[0]);
        Assert.IsType<InviteRevoked>(events[1]);
        Assert.Equal(EventJson.Of(new SquadClosed(CoachId, Clock.Now, [CoachId, assistant])), EventJson.Of(events[^1]));
        object[] closed = [.. squad, .. events];
        Spec.Squad().Given(closed).When(new CloseSquad(CoachId)).Then();
        Spec.Squad().Given(closed).When(new RenameSquad("Again")).ThenThrows("squad.not-found");
        Spec.Squad().Given(closed).When(new JoinSquad(Brian, "HARRIERS1")).ThenThrows("squad.not-found");
    }

    [Fact]
    public void SomeoneNotInTheSquadCannotLeave() =>
        Spec.Squad().Given(Created).When(new LeaveSquad(Brian)).ThenThrows("squad.not-member");

    [Fact]
    public void ChangingSettingsRecordsAllOfThem()
    {
        var spec = Spec.Squad()
            .Given(Created)
            .When(new ChangeSquadSettings(new SquadSettings(6, true, Units.Miles, DayOfWeek.Saturday, 7)));
        spec.Then(new SquadSettingsChanged(6, true, Units.Miles, DayOfWeek.Saturday, 7, Clock.Now));
        Assert.Equal(new SquadSettings(6, true, Units.Miles, DayOfWeek.Saturday, 7), spec.StateAfterDecision().Settings);
    }

    [Fact]
    public void UnchangedSettingsRecordNothing() =>
        Spec.Squad().Given(Created).When(new ChangeSquadSettings(SquadSettings.Default)).Then();

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void DeloadEveryMustBeFourToSixWeeks(int weeks) =>
        Spec.Squad().Given(Created).When(new ChangeSquadSettings(SquadSettings.Default with { DeloadEveryBuildWeeks = weeks })).ThenRejectsField("deloadEveryBuildWeeks");

    [Fact]
    public void TheAdjustmentHourMustBeAnHourOfTheDay() =>
        Spec.Squad().Given(Created).When(new ChangeSquadSettings(SquadSettings.Default with { WeeklyAdjustmentHour = 24 })).ThenRejectsField("weeklyAdjustmentHour");
}
