"""The words of the charts' text alternatives (the sentence under a chart and its table of the
values plotted) and of a long ranking's "show all", as (Thai, English) pairs; spread into
`layouts.text.words.WORDS`."""

from __future__ import annotations

CHART_WORDS: dict[str, tuple[str, str]] = {
    "chart_show_table": ("ดูเป็นตาราง", "Show as table"),
    "chart_table_caption": ("ค่าที่แสดงในแผนภูมิ: {title}", "Values plotted: {title}"),
    "chart_no_values": ("{title}: ยังไม่มีข้อมูล", "{title}: no data yet"),
    "chart_areas": (
        "{title}: {n} พื้นที่ สูงสุด {high} ({high_value}) ต่ำสุด {low} ({low_value})",
        "{title}: {n} areas; highest {high} ({high_value}), lowest {low} ({low_value})",
    ),
    "chart_without_data": (" ไม่มีข้อมูล {n} พื้นที่", "; {n} without data"),
    "chart_series": (
        "{title}: ล่าสุด {value} ({period}) {change} จาก {first_value} ({first_period}) "
        "สูงสุด {high_value} ({high_period}) ต่ำสุด {low_value} ({low_period})",
        "{title}: latest {value} ({period}), {change} from {first_value} ({first_period}); "
        "highest {high_value} ({high_period}), lowest {low_value} ({low_period})",
    ),
    "chart_series_one": (
        "{title}: {value} ({period}) งวดเดียวที่มีข้อมูล",
        "{title}: {value} ({period}), the only period with data",
    ),
    "chart_up": ("เพิ่มขึ้น", "up"),
    "chart_down": ("ลดลง", "down"),
    "chart_same": ("เท่าเดิม", "unchanged"),
    "chart_goals": (
        "{title}: สูงสุด {high} ({high_value}) ต่ำสุด {low} ({low_value})",
        "{title}: highest {high} ({high_value}), lowest {low} ({low_value})",
    ),
    "chart_goal_scores": ("คะแนนรายเป้าหมาย (1–5)", "Goal scores (1–5)"),
    "chart_radar": ("คะแนนหกเป้าหมายของ {n} จังหวัด (1–5)", "Six goal scores of {n} provinces (1–5)"),
    "chart_heatmap": (
        "คะแนน {kpis} ตัวชี้วัด ของ {n} จังหวัด: ตามเป้าหมาย {on_target} ช่อง เฝ้าระวัง {watch} ช่อง "
        "ต่ำกว่าเป้าหมาย {below} ช่อง ไม่มีคะแนน {none} ช่อง",
        "Scores of {kpis} KPIs in {n} provinces: {on_target} cells on target, {watch} watch, "
        "{below} off target, {none} without a score",
    ),
    "chart_over_time": ("{name} · {area} รายงวด", "{name} · {area} over time"),
    "chart_across": ("{name} · {where}", "{name} · {where}"),
    "ranking_show_all": ("แสดงทั้งหมด ({n})", "Show all ({n})"),
    "ranking_show_ends": ("แสดงเฉพาะ {n} อันดับแรกและ {n} อันดับท้าย", "Show only the first {n} and last {n}"),
    "ranking_gap": ("… อีก {n} พื้นที่ …", "… {n} more …"),  # "…" is in Sarabun ("⋯" is not: a PDF took DejaVu)
    "ranking_collapsed": (
        "แสดง {shown} จาก {total} พื้นที่ ตารางใต้แผนภูมิมีครบทุกพื้นที่",
        "{shown} of {total} areas shown; the table under the chart lists every area",
    ),
}
