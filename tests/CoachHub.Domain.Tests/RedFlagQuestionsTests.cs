using CoachHub.Domain;
using CoachHub.Domain.Athletes;

namespace CoachHub.Domain.Tests;

public sealed class RedFlagQuestionsTests
{
    [Fact]
    public void A_question_left_unanswered_is_named_and_never_read_as_no()
    {
        var questions = new RedFlagQuestions(false, null, false, false, false, null, false, false);
        Assert.Equal(["redFlags.bladderOrBowelChange", "redFlags.worseAtNight"], questions.Unanswered("redFlags").Select(e => e.Field));
        var refused = Assert.Throws<CoachingRuleViolation>(() => questions.Answers());
        Assert.Equal(["redFlags.bladderOrBowelChange", "redFlags.worseAtNight"], refused.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Every_answer_carries_over()
    {
        var answers = new RedFlagQuestions(true, false, true, false, true, false, true, false).Answers();
        Assert.Equal(new RedFlagAnswers(SaddleNumbness: true, BothLegsNumbOrWeak: true, FeverOrUnwell: true, UnexplainedWeightLoss: true), answers);
    }
}
