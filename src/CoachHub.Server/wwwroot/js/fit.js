// FIT files (Garmin, Coros, Polar, Suunto exports) read in the browser with Garmin's FIT SDK into a run for
// POST /runs: the session's totals, and the records thinned into the run's track. The server never sees the file.

export const MAX_TRACK_POINTS = 500; // the domain's TrackPoint.MaxPoints
const NOT_RUNNING = ['cycling', 'swimming', 'rowing', 'crossCountrySkiing', 'alpineSkiing', 'ebiking'];

export class FitFileError extends Error {}

async function sha256(bytes) {
  if (!crypto.subtle) throw new FitFileError('This page must be opened over https to read FIT files.');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function thin(points) {
  if (points.length <= MAX_TRACK_POINTS) return points;
  const step = (points.length - 1) / (MAX_TRACK_POINTS - 1);
  return Array.from({ length: MAX_TRACK_POINTS }, (_, i) => points[Math.round(i * step)]);
}

/** The run a FIT file records, or a FitFileError saying why it cannot be one. */
export async function runFromFit(file) {
  // Loaded when first needed: the rest of the app never waits for, or fails on, the SDK.
  let sdk;
  try {
    sdk = await import('/lib/fitsdk/src/index.js');
  } catch {
    throw new FitFileError('FIT files cannot be read right now (the reader did not load). Try again, or import a GPX or TCX file.');
  }
  const { Decoder, Stream } = sdk;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const stream = Stream.fromByteArray(bytes);
  if (!Decoder.isFIT(stream)) throw new FitFileError(`${file.name}: not a FIT file.`);
  const decoder = new Decoder(stream);
  if (!decoder.checkIntegrity()) {
    throw new FitFileError(`${file.name}: the file is damaged (its checksum does not match). Copy it from your watch or its app again.`);
  }
  const { messages, errors } = decoder.read();
  if (errors.length) throw new FitFileError(`${file.name}: the file could not be read to its end. Copy it again.`);
  const session = messages.sessionMesgs?.[0];
  if (session && NOT_RUNNING.includes(session.sport)) throw new FitFileError(`${file.name}: this activity is recorded as ${session.sport}, not a run.`);
  const records = (messages.recordMesgs ?? []).filter((r) => r.timestamp instanceof Date);
  const start = session?.startTime ?? records[0]?.timestamp;
  if (!start || (!session && records.length < 2)) throw new FitFileError(`${file.name}: there is no run in this file.`);
  let seconds = 0;
  let meters = 0;
  const track = records.map((r) => {
    // Forward only, as the track must run.
    seconds = Math.max(seconds, Math.round((r.timestamp - start) / 1000));
    meters = Math.max(meters, Math.round(r.distance ?? meters));
    const hr = r.heartRate >= 25 && r.heartRate <= 250 ? r.heartRate : null;
    const altitude = r.enhancedAltitude ?? r.altitude;
    const elevation = typeof altitude === 'number' && altitude >= -500 && altitude <= 9000 ? Math.round(altitude) : null;
    return { seconds, meters, heartRate: hr, elevationMeters: elevation };
  });
  const heartRates = track.map((p) => p.heartRate).filter((x) => x !== null);
  const distance = Math.round(session?.totalDistance ?? meters);
  const duration = Math.round(session?.totalTimerTime ?? seconds);
  if (!(distance > 0) || !(duration > 0)) throw new FitFileError(`${file.name}: the file records no distance or no time.`);
  const averageHeartRate = session?.avgHeartRate ?? (heartRates.length ? Math.round(heartRates.reduce((a, b) => a + b, 0) / heartRates.length) : null);
  return {
    startedAt: start.toISOString(),
    distanceMeters: distance,
    durationSeconds: duration,
    elevationGainMeters: Math.round(session?.totalAscent ?? 0),
    averageHeartRate: averageHeartRate >= 25 && averageHeartRate <= 250 ? averageHeartRate : null,
    source: { format: 'fit', fileSha256: await sha256(bytes) },
    track: thin(track),
  };
}
