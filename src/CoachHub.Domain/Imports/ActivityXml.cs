using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace CoachHub.Domain.Imports;

/// <summary>
/// GPX 1.1 and Garmin's TCX, read as a stream, one sample at a time. The reader refuses any DTD (no entity can
/// expand), resolves nothing outside the file and stops at <see cref="MaxCharacters"/>.
/// </summary>
public static class ActivityXml
{
    public const long MaxCharacters = 64L * 1024 * 1024;

    /// <summary>GPX and TCX nest about 8 deep; a file nested far deeper is an attack on the reader, not a run.</summary>
    public const int MaxDepth = 32;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    /// <summary>Reads a GPX track: trkpt positions with their time, elevation and (Garmin's extension) heart rate.</summary>
    public static RecordedActivity ReadGpx(Stream file) => Read(file, "gpx", "gpx", (xml, activity) =>
    {
        switch (xml.LocalName)
        {
            case "trkpt":
                var point = (XElement)XNode.ReadFrom(xml);
                if (Time(Child(point, "time")) is { } time)
                    activity.Points.Add(new ActivityPoint(time, Number(point.Attribute("lat")?.Value), Number(point.Attribute("lon")?.Value),
                        Number(Child(point, "ele")), Whole(point.Descendants().FirstOrDefault(e => e.Name.LocalName == "hr")?.Value)));
                return true;
            case "type" when activity.Sport is null:
                activity.Sport = ((XElement)XNode.ReadFrom(xml)).Value.Trim();
                return true;
            default:
                return false;
        }
    });

    /// <summary>Reads a TCX activity: its sport, its laps' timer time and distance, and each trackpoint.</summary>
    public static RecordedActivity ReadTcx(Stream file) => Read(file, "tcx", "TrainingCenterDatabase", (xml, activity) =>
    {
        switch (xml.LocalName)
        {
            case "Activity":
                activity.Sport ??= xml.GetAttribute("Sport");
                return false;
            case "Trackpoint":
                var point = (XElement)XNode.ReadFrom(xml);
                var position = point.Elements().FirstOrDefault(e => e.Name.LocalName == "Position");
                if (Time(Child(point, "Time")) is { } time)
                    activity.Points.Add(new ActivityPoint(time, Number(Child(position, "LatitudeDegrees")), Number(Child(position, "LongitudeDegrees")),
                        Number(Child(point, "AltitudeMeters")), Whole(Child(point.Elements().FirstOrDefault(e => e.Name.LocalName == "HeartRateBpm"), "Value")),
                        Number(Child(point, "DistanceMeters"))));
                return true;
            // Outside a trackpoint (read whole above), these are a lap's totals.
            case "TotalTimeSeconds":
                activity.TimerSeconds = (activity.TimerSeconds ?? 0) + (Number(((XElement)XNode.ReadFrom(xml)).Value) ?? 0);
                return true;
            case "DistanceMeters":
                activity.TotalDistanceMeters = (activity.TotalDistanceMeters ?? 0) + (Number(((XElement)XNode.ReadFrom(xml)).Value) ?? 0);
                return true;
            default:
                return false;
        }
    });

    private sealed class Collected(string format)
    {
        public string Format { get; } = format;
        public string? Sport { get; set; }
        public List<ActivityPoint> Points { get; } = [];
        public double? TotalDistanceMeters { get; set; }
        public double? TimerSeconds { get; set; }
    }

    /// <param name="element">Handles the element the reader is on; true when it read past it.</param>
    private static RecordedActivity Read(Stream file, string format, string root, Func<XmlReader, Collected, bool> element)
    {
        ArgumentNullException.ThrowIfNull(file);
        var activity = new Collected(format);
        if (!file.CanSeek)
        {
            var copy = new MemoryStream();
            file.CopyTo(copy);
            copy.Position = 0;
            file = copy;
        }
        var start = file.Position;
        try
        {
            // First the shape alone, element by element: nothing below reads a subtree deeper than MaxDepth.
            using (var shape = XmlReader.Create(file, Settings))
            {
                while (shape.Read())
                {
                    if (shape.Depth > MaxDepth)
                        throw new ActivityFileException($"The {format.ToUpperInvariant()} file nests its elements more than {MaxDepth} deep: it is not an export of a run.");
                }
            }
            file.Position = start;
            using var xml = XmlReader.Create(file, Settings);
            if (xml.MoveToContent() != XmlNodeType.Element || xml.LocalName != root)
                throw new ActivityFileException($"This is not a {format.ToUpperInvariant()} file: it does not start with <{root}>.");
            while (!xml.EOF)
            {
                if (xml.NodeType == XmlNodeType.Element && element(xml, activity)) continue;
                xml.Read();
            }
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw new ActivityFileException($"The {format.ToUpperInvariant()} file declares a DTD, which CoachHub does not read: export it again from your watch's app.");
        }
        catch (XmlException e) when (e.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal))
        {
            throw new ActivityFileException($"The {format.ToUpperInvariant()} file is longer than {MaxCharacters / 1024 / 1024} million characters: no run needs that much.");
        }
        catch (XmlException e)
        {
            throw new ActivityFileException($"The {format.ToUpperInvariant()} file is not well-formed XML (line {e.LineNumber}): export it again from your watch's app.");
        }
        return new RecordedActivity(format, activity.Sport, activity.Points, activity.TotalDistanceMeters, activity.TimerSeconds);
    }

    private static string? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static int? Whole(string? text) => Number(text) is { } value && value is > 0 and < 1000 ? (int)Math.Round(value) : null;

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
}
