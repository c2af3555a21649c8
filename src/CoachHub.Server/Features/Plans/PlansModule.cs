namespace CoachHub.Server.Features.Plans;

public static class PlansModule
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var athletes = app.MapGroup("/api/athletes").WithTags("Plans");
        StartPlanEndpoint.Map(athletes);
        PlanWeekEndpoint.Map(athletes);
        EditSessionEndpoint.Map(athletes);
        DecideAdjustmentEndpoints.Map(athletes);
        GetPlanCalendarEndpoint.Map(athletes);
        GetCalendarGridEndpoint.Map(athletes);
        WeekTemplateEndpoints.Map(athletes, app.MapGroup("/api/squads").WithTags("Plans"));
    }
}
