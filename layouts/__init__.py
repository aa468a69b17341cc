"""Markup and figures: data in, Dash components, HTML and Plotly figures out (no SQL, no
requests). `components/` the pieces every page shares, `views/` each page's body, `figures/`
the one figure builder by kind, `text/` words and formatting, `theme` the one palette."""
