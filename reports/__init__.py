"""Executive Summary Reports (ESR) and page snapshots: numbers from the query layer
(`content`), HTML from the figure builder (`html`), PDF from one warm headless Chromium
(`render`), and the data behind each report as XLSX (`xlsx`)."""
