namespace CoachHub.Server.Features.Squads;

public static class SquadsModule
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var squads = app.MapGroup("/api/squads").WithTags("Squads");
        CreateSquadEndpoint.Map(squads);
        ListSquadsEndpoint.Map(squads);
        RenameSquadEndpoint.Map(squads);
        ChangeSquadSettingsEndpoint.Map(squads);
        InviteAthleteEndpoint.Map(squads);
        ManageInvitesEndpoints.Map(squads);
        JoinSquadEndpoint.Map(squads);
        MembershipEndpoints.Map(squads);
        GetSquadBoardEndpoint.Map(squads);
        GetAlertInboxEndpoint.Map(app);
        GetAlertInboxEndpoint.MapChanges(app);
    }
}
