// The dashboard's plotly.js: the core (scatter) and the trace types the Python code draws.
// tests/test_plotly_bundle.py fails when a figure uses a trace type that is not registered here.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/scatterpolar'),
]);
// The build removed every web address, plotly's default topojson location among them: maps take
// their (empty) world topojson from the app itself, even where a page forgets to say so.
Plotly.setPlotConfig({ topojsonURL: '/assets/topojson/' });

// A page may load this script async and hold a promise in window.Plotly meanwhile (dcc.Graph waits on it).
var pending = window.Plotly;
window.Plotly = Plotly;
if (pending && pending.__pocResolve) pending.__pocResolve(Plotly);
