// The coach's squads, and which one they are looking at (remembered in this browser).
import { get } from './api.js';

const KEY = 'coachhub.squad';

export async function loadSquads() {
  return get('/api/squads');
}

/** The squad asked for, else the last one looked at, else the first. */
export function pickSquad(squads, wanted) {
  const id = wanted || localStorage.getItem(KEY);
  const squad = squads.find((s) => s.squadId === id) ?? squads[0] ?? null;
  if (squad) localStorage.setItem(KEY, squad.squadId);
  return squad;
}

export function rememberSquad(squadId) {
  localStorage.setItem(KEY, squadId);
}

/** The units a coach sees an athlete's distances in: their squad's. */
export async function unitsForAthlete(squadId, fallback) {
  try {
    const squads = await loadSquads();
    return squads.find((s) => s.squadId === squadId)?.settings.units ?? fallback ?? 'kilometres';
  } catch {
    return fallback ?? 'kilometres';
  }
}
