// Renders every <div class="chart" data-chart="…json…"> with plotly.js (served from wwwroot/lib, no CDN).
// Pages are statically rendered, so the figure travels as JSON in the markup.
for (const el of document.querySelectorAll('[data-chart]')) {
  const fig = JSON.parse(el.dataset.chart);
  // A second y axis (e.g. revenue beside units) needs room for its tick labels on the right.
  const right = fig.layout && fig.layout.yaxis2 ? 70 : 10;
  window.Plotly.newPlot(el, fig.data, { margin: { t: 30, r: right, b: 40, l: 60 }, ...fig.layout },
    { responsive: true, displaylogo: false });
}
