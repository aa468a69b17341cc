"""The body of each page, as pure functions of frames: the overview, a province's scorecard, a
cluster, a district, a KPI, the data status page, and the wall screen's frame and slides."""

__all__ = ["cluster", "data_status", "district", "kpi", "overview", "scorecard", "wall", "wall_slides"]
