namespace CoachHub.Server.Features.Athletes;

public static class AthletesModule
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var athletes = app.MapGroup("/api/athletes").WithTags("Athletes");
        LogRunEndpoint.Map(athletes);
        SubmitPainReportEndpoint.Map(athletes);
        ShoesEndpoints.Map(athletes);
        AcknowledgeAlertEndpoint.Map(athletes);
        ClearToRunEndpoint.Map(athletes);
        GetDashboardEndpoint.Map(athletes);
        GetHistoryEndpoint.Map(athletes);
        GetLoadTrendEndpoint.Map(athletes);
        GetFitnessEndpoint.Map(athletes);
        GetRunEndpoint.Map(athletes);
        CalendarFeedEndpoints.Map(athletes, app);
        ExportHistoryEndpoint.Map(athletes);
        ImportRunsEndpoint.Map(athletes);
        ConversationEndpoints.Map(athletes);
        FindingHistoryEndpoints.Map(athletes);
        CorrectionEndpoints.Map(athletes);
        AvailabilityEndpoints.Map(athletes);
    }
}
