namespace CoachHub.Domain;

/// <summary>Shown wherever CoachHub shows advice.</summary>
public static class Disclaimer
{
    public const string Text =
        "CoachHub gives training guidance only; it is not medical advice and cannot diagnose anything. " +
        "In an emergency, call your local emergency number.";
}
