// Fitness, fatigue and form over 6 or 12 months, with its range buttons: on the coach's page of an athlete and on
// the athlete's own history.
import { get } from './api.js';
import { h, clear, failure } from './ui.js';
import { fitnessChart } from './charts.js';

/** Returns { element, refresh, destroy }; the chart is drawn on refresh(), which the page calls (again when its data changes). */
export function fitnessPanel(athleteId) {
  const element = h('section', { class: 'fitness', 'aria-label': 'Fitness, fatigue and form' });
  const charts = [];
  let days = 182;
  let asked = 0;
  const destroy = () => charts.splice(0).forEach((c) => c.destroy());

  async function refresh() {
    const mine = ++asked;
    let trend;
    try {
      trend = await get(`/api/athletes/${athleteId}/fitness?days=${days}`);
    } catch (error) {
      if (mine === asked) clear(element).append(failure(error, refresh));
      return;
    }
    if (mine !== asked) return;
    destroy();
    const range = (value, text) => h('button', {
      type: 'button', class: value === days ? '' : 'secondary', 'aria-pressed': String(value === days),
      onclick: () => { days = value; refresh(); },
    }, text);
    clear(element).append(h('div', { class: 'actions' }, range(182, '6 months'), range(365, '12 months')), fitnessChart(trend, charts));
  }

  return { element, refresh, destroy };
}
