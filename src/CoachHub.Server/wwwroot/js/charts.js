// The athlete's charts, drawn with Chart.js (window.Chart, from npm). Each chart is a <figure> with a caption,
// a labelled canvas and a one-line text summary, so the numbers are there for those who cannot see the chart.
import { h, toUnits, unitLabel, shortDate, dateTime, distance, plural } from './ui.js';

const BLUE = '#0b5cab';
const LIGHT_BLUE = '#a9c7ea';
const RED = '#d93025';
const ORANGE = '#e07b00';
const GREY = '#5b6675';

function chartApi() {
  const Chart = window.Chart;
  if (Chart && !Chart.__coachhub) {
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    Chart.defaults.color = GREY;
    Chart.__coachhub = true;
  }
  return Chart;
}

/** A figure holding one chart; returns { figure, draw(config) } and keeps the Chart for destroy(). */
function figure(title, summary, charts) {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title}. ${summary}` });
  const fig = h('figure', { class: 'card chart-card' },
    h('figcaption', {}, title),
    h('div', { class: 'chart' }, canvas),
    h('p', { class: 'chart-summary' }, summary));
  return {
    figure: fig,
    draw(config) {
      const Chart = chartApi();
      if (!Chart) { canvas.replaceWith(h('p', { class: 'muted' }, 'Charts could not be loaded.')); return; }
      charts.push(new Chart(canvas, config));
    },
  };
}

export function weeklyDistanceChart(weeks, units, charts) {
  const unit = unitLabel(units);
  const last = weeks[weeks.length - 1];
  const summary = last
    ? `This week: ${distance(last.doneMeters, units)} done of ${distance(last.plannedMeters, units)} planned.`
    : 'No weeks yet: each week appears here once a plan starts or a run is logged.';
  const f = figure(`Weekly distance, planned and done (${unit})`, summary, charts);
  f.draw({
    type: 'bar',
    data: {
      labels: weeks.map((w) => shortDate(w.weekStart)),
      datasets: [
        { label: 'Planned', data: weeks.map((w) => +toUnits(w.plannedMeters, units).toFixed(1)), backgroundColor: LIGHT_BLUE },
        { label: 'Done', data: weeks.map((w) => +toUnits(w.doneMeters, units).toFixed(1)), backgroundColor: BLUE },
      ],
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: unit } } }, plugins: { legend: { position: 'bottom' } } },
  });
  return f.figure;
}

export function loadChart(days, current, charts) {
  const ratio = current?.ratio;
  const summary = ratio === undefined || ratio === null
    ? 'Not enough runs yet for a ratio: it needs about four weeks of logged runs, each with how hard it felt (RPE).'
    : `Today: acute ${current.acute.toFixed(0)}, chronic ${current.chronic.toFixed(0)}, ratio ${ratio.toFixed(2)}. Session load is RPE × minutes; the ratio is a rough guide, and its "safe zone" is disputed.`;
  const f = figure('Load: EWMA acute:chronic ratio', summary, charts);
  f.draw({
    type: 'line',
    data: {
      labels: days.map((d) => shortDate(d.date)),
      datasets: [
        { label: 'Acute:chronic ratio', data: days.map((d) => (d.ratio === undefined || d.ratio === null ? null : +d.ratio.toFixed(2))), borderColor: BLUE, backgroundColor: BLUE, pointRadius: 0, borderWidth: 2, tension: 0.2, yAxisID: 'y' },
        { label: '1.0 (acute = chronic)', data: days.map(() => 1), borderColor: GREY, borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
      ],
    },
    options: {
      scales: { y: { beginAtZero: true, suggestedMax: 2, title: { display: true, text: 'acute ÷ chronic load' } }, x: { ticks: { maxTicksLimit: 8, autoSkip: true } } },
      plugins: { legend: { position: 'bottom' } },
      spanGaps: false,
    },
  });
  return f.figure;
}

export function painChart(pain, charts) {
  const latest = pain[pain.length - 1];
  const flags = pain.filter((p) => p.redFlag).length;
  const summary = latest
    ? `${plural(pain.length, 'report')}; latest ${dateTime(latest.reportedAt)}: pain ${latest.painNow}/10 now${latest.worstDuringRun !== undefined && latest.worstDuringRun !== null ? `, worst ${latest.worstDuringRun}/10 during the run` : ''}.${flags ? ` ${flags} with a red flag (red triangles).` : ''}`
    : 'No reports yet: each report answered after a run adds a marker here.';
  const f = figure('Pain after runs (0-10), one marker per report', summary, charts);
  f.draw({
    type: 'line',
    data: {
      labels: pain.map((p) => shortDate(p.reportedAt)),
      datasets: [
        { label: 'Pain now', data: pain.map((p) => p.painNow), borderColor: ORANGE, backgroundColor: ORANGE, pointRadius: 4, pointHoverRadius: 6, borderWidth: 2, tension: 0.1 },
        { label: 'Worst during run', data: pain.map((p) => p.worstDuringRun ?? null), borderColor: GREY, backgroundColor: GREY, borderDash: [5, 4], pointRadius: 3, pointStyle: 'rectRot', borderWidth: 1, spanGaps: true },
        { label: 'Red flag reported', data: pain.map((p) => (p.redFlag ? p.painNow : null)), showLine: false, pointStyle: 'triangle', pointRadius: 9, borderColor: RED, backgroundColor: RED, order: -1 },
      ],
    },
    options: {
      scales: { y: { min: 0, max: 10, ticks: { stepSize: 2 }, title: { display: true, text: 'pain (0-10)' } }, x: { ticks: { maxTicksLimit: 10, autoSkip: true } } },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { title: (items) => dateTime(pain[items[0].dataIndex].reportedAt) } } },
    },
  });
  return f.figure;
}

export function shoeChart(shoes, units, charts) {
  const unit = unitLabel(units);
  const summary = shoes.length
    ? shoes.map((s) => `${s.name}${s.retired ? ' (retired)' : ''}: ${distance(s.meters, units, 0)}`).join('; ')
    : 'No shoes added yet: shoes the athlete adds on the Shoes page count their runs here.';
  const f = figure(`Shoe mileage (${unit})`, summary, charts);
  f.draw({
    type: 'bar',
    data: {
      labels: shoes.map((s) => (s.retired ? `${s.name} (retired)` : s.name)),
      datasets: [{ label: 'Distance', data: shoes.map((s) => Math.round(toUnits(s.meters, units))), backgroundColor: shoes.map((s) => (s.retired ? '#c3cad3' : BLUE)), maxBarThickness: 36 }],
    },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, title: { display: true, text: unit } } }, plugins: { legend: { display: false } } },
  });
  if (shoes.length === 0) f.figure.querySelector('.chart').hidden = true;
  return f.figure;
}

const PINK = '#c2185b';
const OUTCOME_WORDS = { progress: 'progress', hold: 'hold', deload: 'deload', pause: 'running paused', returnToRun: 'return to running' };

/**
 * Fitness (42-day), fatigue (7-day) and form, day by day, with the pain reported (right axis, 0-10) and each weekly
 * adjustment marked at the top on its week's Monday. Session load is RPE x minutes.
 */
export function fitnessChart(trend, charts) {
  const days = trend.days;
  const last = days[days.length - 1];
  const anyLoad = days.some((d) => d.load > 0);
  const months = Math.round(days.length / 30.4);
  const summary = !anyLoad
    ? `No runs in these ${months} months yet: fitness builds from each logged run (RPE × minutes).`
    : `Today: fitness ${last.fitness.toFixed(0)}, fatigue ${last.fatigue.toFixed(0)}, form ${last.form > 0 ? '+' : ''}${last.form.toFixed(0)} ` +
      `(negative after hard training, positive when rested). ${plural(trend.pain.length, 'pain report')} and ${plural(trend.adjustments.length, 'weekly adjustment')} in the period.`;
  const f = figure(`Fitness, fatigue and form over ${months} months`, summary, charts);
  const index = new Map(days.map((d, i) => [d.date, i]));
  const painData = days.map(() => null);
  for (const p of trend.pain) { const i = index.get(p.date); if (i !== undefined) painData[i] = Math.max(painData[i] ?? 0, p.painNow); }
  const marks = days.map(() => null);
  const markText = days.map(() => null);
  for (const a of trend.adjustments) { const i = index.get(a.weekStart); if (i !== undefined) { marks[i] = 10; markText[i] = `Week of ${shortDate(a.weekStart)}: ${OUTCOME_WORDS[a.outcome] ?? a.outcome}`; } }
  f.draw({
    type: 'line',
    data: {
      labels: days.map((d) => shortDate(d.date)),
      datasets: [
        { label: 'Fitness (42-day)', data: days.map((d) => d.fitness), borderColor: BLUE, backgroundColor: BLUE, pointRadius: 0, borderWidth: 2, yAxisID: 'y' },
        { label: 'Fatigue (7-day)', data: days.map((d) => d.fatigue), borderColor: PINK, backgroundColor: PINK, pointRadius: 0, borderWidth: 1.5, yAxisID: 'y' },
        { label: 'Form', data: days.map((d) => d.form), borderColor: GREY, backgroundColor: GREY, borderDash: [5, 4], pointRadius: 0, borderWidth: 1.5, yAxisID: 'y' },
        { label: 'Pain after runs (0-10)', data: painData, showLine: false, pointRadius: 3, pointStyle: 'circle', borderColor: ORANGE, backgroundColor: ORANGE, yAxisID: 'pain' },
        { label: 'Weekly adjustment', data: marks, showLine: false, clip: false, pointRadius: 6, pointStyle: 'rectRot', borderColor: LIGHT_BLUE, backgroundColor: LIGHT_BLUE, yAxisID: 'pain' },
      ],
    },
    options: {
      scales: {
        y: { title: { display: true, text: 'load (RPE × min per day)' } },
        pain: { position: 'right', min: 0, max: 10, grid: { drawOnChartArea: false }, title: { display: true, text: 'pain' }, ticks: { stepSize: 2 } },
        x: { ticks: { maxTicksLimit: 12, autoSkip: true } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => (item.dataset.label === 'Weekly adjustment' ? markText[item.dataIndex] : `${item.dataset.label}: ${item.formattedValue}`) } },
      },
    },
  });
  return f.figure;
}

/** An imported run's pace and heart rate along its distance (pace over a minute or more, so GPS jitter and rounding stay out). */
export function trackChart(track, units, averageHeartRate, charts) {
  const unit = unitLabel(units);
  const perUnit = units === 'miles' ? 1609.344 : 1000;
  const points = [];
  let from = track[0];
  for (const p of track.slice(1)) {
    if (p.seconds - from.seconds < 60 || p.meters <= from.meters) continue;
    points.push({ x: +(p.meters / perUnit).toFixed(2), pace: +(((p.seconds - from.seconds) / (p.meters - from.meters)) * perUnit / 60).toFixed(2), hr: p.heartRate ?? null });
    from = p;
  }
  const clock = (minutes) => `${Math.floor(minutes)}:${String(Math.round((minutes % 1) * 60)).padStart(2, '0')}`;
  const paces = points.map((p) => p.pace);
  const summary = points.length
    ? `Pace from ${clock(Math.min(...paces))} to ${clock(Math.max(...paces))} a ${unit}${averageHeartRate ? `; heart rate ${averageHeartRate} bpm on average` : ''}.`
    : 'Too few samples to chart.';
  const f = figure(`Pace (min/${unit}) and heart rate (bpm) along the run`, summary, charts);
  const withHeart = points.some((p) => p.hr !== null);
  f.draw({
    type: 'line',
    data: {
      datasets: [
        { label: `Pace (min/${unit})`, data: points.map((p) => ({ x: p.x, y: p.pace })), borderColor: BLUE, pointRadius: 0, yAxisID: 'pace' },
        ...(withHeart ? [{ label: 'Heart rate (bpm)', data: points.map((p) => ({ x: p.x, y: p.hr })), borderColor: RED, pointRadius: 0, yAxisID: 'hr' }] : []),
      ],
    },
    options: {
      parsing: false,
      scales: {
        x: { type: 'linear', max: points.length ? points[points.length - 1].x : undefined, title: { display: true, text: unit } },
        // Faster is higher, as runners read pace; a steady run is drawn steady, not as a zoomed-in zigzag.
        pace: {
          position: 'left', reverse: true, title: { display: true, text: `min/${unit}` }, ticks: { callback: (v) => clock(v) },
          suggestedMin: Math.min(...paces) - 0.5, suggestedMax: Math.max(...paces) + 0.5,
        },
        ...(withHeart ? { hr: { position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'bpm' } } } : {}),
      },
      plugins: { legend: { position: 'bottom' } },
    },
  });
  return f.figure;
}
