using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Tests.Support;

namespace CoachHub.Domain.Tests;

/// <summary>Fitness (42-day), fatigue (7-day) and form, as TrainingPeaks users read them.</summary>
public sealed class FitnessTests
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);

    private static RunLogged Run(DateOnly day, int minutes, int rpe, int hour = 7) =>
        new(Guid.NewGuid(), Clock.At(day, hour), minutes * 200, minutes * 60, WorkoutType.Easy, Surface.Road, rpe);

    [Fact]
    public void Without_runs_every_figure_is_zero()
    {
        var days = Fitness.Days([], Day0, Day0.AddDays(9));
        Assert.Equal(10, days.Count);
        Assert.All(days, d => Assert.Equal((0.0, 0.0, 0.0, 0.0), (d.Load, d.Fitness, d.Fatigue, d.Form)));
    }

    [Fact]
    public void One_session_raises_fatigue_six_times_faster_than_fitness_and_form_falls_the_next_day()
    {
        // 60 minutes at RPE 7: a load of 420.
        var days = Fitness.Days([Run(Day0, 60, 7)], Day0, Day0.AddDays(1));
        Assert.Equal(420, days[0].Load, 9);
        Assert.Equal(420.0 / 42, days[0].Fitness, 9);
        Assert.Equal(420.0 / 7, days[0].Fatigue, 9);
        Assert.Equal(0, days[0].Form, 9); // going into the day: nothing done before it
        Assert.Equal(420.0 / 42 - 420.0 / 7, days[1].Form, 9);
        Assert.True(days[1].Fatigue < days[0].Fatigue && days[1].Fitness < days[0].Fitness, "both decay on a rest day");
    }

    [Fact]
    public void The_same_load_every_day_brings_fitness_and_fatigue_to_it_and_form_to_zero()
    {
        var runs = Enumerable.Range(0, 400).Select(i => Run(Day0.AddDays(i), 40, 5)).ToList();
        var last = Fitness.Days(runs, Day0.AddDays(399), Day0.AddDays(399)).Single();
        Assert.Equal(200, last.Fitness, 1); // (41/42)^400 of the start is left: 0.013
        Assert.Equal(200, last.Fatigue, 1);
        Assert.Equal(0, last.Form, 1);
    }

    [Fact]
    public void Runs_before_the_window_count_and_the_order_runs_arrive_in_does_not()
    {
        var runs = new[] { Run(Day0, 50, 6), Run(Day0.AddDays(3), 30, 8), Run(Day0.AddDays(3), 20, 3, hour: 18), Run(Day0.AddDays(20), 90, 4) };
        var whole = Fitness.Days(runs, Day0, Day0.AddDays(30));
        var window = Fitness.Days(runs.Reverse(), Day0.AddDays(10), Day0.AddDays(30));
        Assert.Equal(whole.Skip(10), window);
        // Two sessions on one day add up.
        Assert.Equal(30 * 8 + 20 * 3, whole[3].Load, 9);
        Assert.True(window[0].Fitness > 0, "the window starts with the fitness built before it");
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_is_empty() => Assert.Empty(Fitness.Days([Run(Day0, 30, 5)], Day0, Day0.AddDays(-1)));
}
