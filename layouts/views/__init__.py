"""The body of each page, as pure functions of frames: the overview, a province's scorecard and
its KPI table, a cluster and its ranks table, a district, a KPI and its definition, the data
status page, and the wall screen's frame and slides (lists; figures). The small parts every page
body shares (status pill, goal chip, selector, notices) are `page_parts`."""

__all__ = [
    "cluster",
    "cluster_ranks",
    "data_status",
    "district",
    "kpi",
    "kpi_definition",
    "overview",
    "page_parts",
    "scorecard",
    "scorecard_table",
    "wall",
    "wall_chart_slides",
    "wall_slides",
]
