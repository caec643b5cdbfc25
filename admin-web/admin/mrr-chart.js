// @ts-check
/**
 * The 12-month MRR line chart. uPlot is loaded as its IIFE build by index.html
 * (/admin/vendor/uPlot.iife.min.js → window.uPlot; no build step); the chart follows its host's
 * width (ResizeObserver), so it fits a phone and a desktop.
 */
import { html, useEffect, useRef } from '/web/shared/ui.js';
import { monthLabel } from './format.js';

/** @typedef {import('./types.d.ts').MonthMetrics} MonthMetrics */
const HEIGHT = 260;

/** @param {{ series: MonthMetrics[] }} props */
export function MrrChart({ series }) {
  const ref = useRef(/** @type {HTMLDivElement | null} */ (null));
  useEffect(() => {
    const host = ref.current;
    /** @type {typeof import('uplot') | undefined} */
    const UPlot = /** @type {any} */ (window).uPlot;
    if (!host || !UPlot) return;
    const xs = series.map((m) => Date.parse(`${m.month.slice(0, 10)}T00:00:00Z`) / 1000);
    const ys = series.map((m) => m.mrrCents / 100);
    const width = () => Math.max(260, host.clientWidth);
    const plot = new UPlot(
      {
        width: width(),
        height: HEIGHT,
        scales: { x: { time: true } },
        legend: { live: false },
        series: [{}, { label: 'MRR (KES)', stroke: '#0b7a53', width: 2, fill: 'rgba(11,122,83,0.08)', points: { show: true } }],
        axes: [
          { values: (_u, v) => v.map((t) => monthLabel(new Date(t * 1000).toISOString())) },
          { values: (_u, v) => v.map((n) => n.toLocaleString('en-US')), size: 70 },
        ],
      },
      [xs, ys],
      host,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }));
    ro.observe(host);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [series]);
  return html`<div class="chart" ref=${ref} data-testid="mrr-chart" role="img" aria-label="MRR for the last 12 months"></div>`;
}
