// regeneratorRuntime, the one global Dash's components still need from the Babel polyfill
// (layouts/vendor.py drops the 90 KB polyfill, which evergreen browsers do not need).
window.regeneratorRuntime = require('regenerator-runtime/runtime');
