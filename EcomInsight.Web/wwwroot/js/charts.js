// Renders every <div class="chart" data-chart="…json…"> with plotly.js (served from wwwroot/lib, no CDN).
// Pages are statically rendered, so the figure travels as JSON in the markup.


for (const el of document.querySelectorAll('[data-chart]')) {
  const fig = JSON.parse(el.dataset.chart);
  window.Plotly.newPlot(el, fig.data, { margin: { t: 30, r: 10, b: 40, l: 50 }, ...fig.layout },
    { responsive: true, displaylogo: false });
}
