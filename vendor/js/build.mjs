// Builds plotly-poc.min.js and regenerator-runtime.min.js (run by build.sh after `npm ci`).
//
// The dashboard must work with no internet, so the served files carry no address beyond the
// app's own: every http(s) URL in the packages' code is removed as it is bundled (links in
// attribute descriptions, the modebar's logo link, Chart Studio's address), except the XML
// namespace names SVG needs (never fetched); plotly-entry.js then sets plotly's topojson location
// to the app's own /assets/topojson/. Licence comments go to *.LEGAL.txt beside each file.
// tests/test_plotly_bundle.py fails if an address is left.
import * as esbuild from 'esbuild';
import { readFile } from 'node:fs/promises';

const NAMESPACE = /^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink|2000\/xmlns\/|1999\/xhtml|XML\/1998\/namespace)$/;
const URL = /https?:\/\/[^\s'"`)<>\\]+/g;

const offline = {
    name: 'offline',
    setup(build) {
        build.onLoad({ filter: /node_modules[\\/].*\.js$/ }, async (args) => {
            const text = await readFile(args.path, 'utf8');
            return { contents: text.replace(URL, (url) => (NAMESPACE.test(url) ? url : '')), loader: 'js' };
        });
    },
};

const common = {
    bundle: true, minify: true, format: 'iife', target: 'es2018', logLevel: 'warning',
    loader: { '.css': 'empty' }, define: { global: 'window' }, legalComments: 'external', plugins: [offline],
};
const [plotlyVersion, regeneratorVersion] = process.argv.slice(2);
await esbuild.build({
    ...common, entryPoints: ['plotly-entry.js'], outfile: 'plotly-poc.min.js',
    banner: { js: `/* plotly.js v${plotlyVersion} (MIT, Plotly, Inc.): core + bar, heatmap, choropleth, scattergeo, scatterpolar.\n   Built by vendor/js/build.sh from plotly-entry.js; licences in plotly-poc.min.js.LEGAL.txt; do not edit. */` },
});
await esbuild.build({
    ...common, entryPoints: ['regenerator-entry.js'], outfile: 'regenerator-runtime.min.js',
    banner: { js: `/* regenerator-runtime v${regeneratorVersion} (MIT, Meta Platforms). Built by vendor/js/build.sh; do not edit. */` },
});
