"""Words of the data page's import log and of the names the domain gives areas (the Bangkok rule:
เขต/แขวง for Bangkok's districts and subdistricts), each as a (Thai, English) pair; merged into
`layouts.text.words.WORDS`."""

from __future__ import annotations

VIEW_WORDS: dict[str, tuple[str, str]] = {
    # ---- the import log on /data: every kind, status and source in the reader's language
    "import_kind_values": ("ค่าตัวชี้วัด", "KPI values"),
    "import_kind_boundaries": ("ขอบเขตพื้นที่", "Boundaries"),
    "import_kind_demo": ("ข้อมูลสาธิต", "Demo data"),
    "import_kind_areas": ("รหัสพื้นที่", "Area codes"),
    "import_kind_catalog": ("บัญชีตัวชี้วัด", "KPI catalog"),
    "import_status_ok": ("สำเร็จ", "Done"),
    "import_status_failed": ("ไม่สำเร็จ", "Failed"),
    "import_status_running": ("กำลังนำเข้า", "Running"),
    "import_status_dry-run": ("ตรวจสอบอย่างเดียว (ไม่บันทึก)", "Checked only (not saved)"),
    "demo_source": (
        "ข้อมูลสาธิต {first}–{last} ณ {day}",
        "Demo data {first}–{last} as of {day}",
    ),
    "kpi_code": ("รหัสตัวชี้วัด", "KPI code"),
    "area_code": ("รหัสพื้นที่", "Area code"),
    # ---- Bangkok's districts (เขต) and subdistricts (แขวง), the Bangkok rule
    "khet": ("เขต", "District"),
    "khwaeng": ("แขวง", "Subdistrict"),
    "khet_of": ("เขต{name}", "{name} district"),
    "khet_report": ("รายงานผลการดำเนินงานเขต", "District report"),
    "khet_map": ("แผนที่รายแขวง", "Subdistrict map"),
    "across_khet": ("การกระจายรายเขต", "Across the districts"),
    "khet_kpis": ("ตัวชี้วัดที่เผยแพร่ระดับเขตหรือแขวง", "KPIs published by district or subdistrict"),
    # ---- panels named for the chart drawn: bars when no boundaries are imported
    "districts_compared": ("ค่ารายอำเภอ", "Districts compared"),
    "khet_compared": ("ค่ารายเขต", "Districts compared"),
    "subdistricts_compared": ("ค่ารายตำบล", "Subdistricts compared"),
    "khwaeng_compared": ("ค่ารายแขวง", "Subdistricts compared"),
    "khet_map_title": ("แผนที่รายเขต", "District map"),
    # ---- counts of what a viewer is shown (the overview's heading and level selector)
    "n_clusters": ("กลุ่มจังหวัด {n} กลุ่ม", "The {n} provincial clusters"),
    "n_clusters_one": ("กลุ่มจังหวัด {n} กลุ่ม", "The provincial cluster"),
    "n_provinces": ("{n} จังหวัด", "{n} provinces"),
    "n_provinces_one": ("{n} จังหวัด", "{n} province"),
    "n_districts": ("{n} อำเภอ", "{n} districts"),
    "n_districts_one": ("{n} อำเภอ", "{n} district"),
}
