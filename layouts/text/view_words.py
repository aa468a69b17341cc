"""Words of the data page's import log, of panels named for the chart they draw and of the counts a
viewer is shown, each as a (Thai, English) pair; merged into `layouts.text.words.WORDS`."""

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
    # ---- the names of downloaded files (layouts.text.format.file_name)
    "esr_file": ("รายงานสรุปผู้บริหาร", "ESR"),
    "as_of_file": ("ณ {day}", "as of {day}"),
    # ---- panels named for the chart drawn: bars when no boundaries are imported
    # (in Bangkok อำเภอ/ตำบล are said เขต/แขวง: layouts.text.i18n.t_at)
    "districts_compared": ("ค่ารายอำเภอ", "Districts compared"),
    "subdistricts_compared": ("ค่ารายตำบล", "Subdistricts compared"),
    "esr_bars": ("ค่ารายอำเภอ: {kpi}", "Districts compared: {kpi}"),
    # ---- counts of what a viewer is shown (the overview's heading and level selector)
    "n_clusters": ("กลุ่มจังหวัด {n} กลุ่ม", "The {n} provincial clusters"),
    "n_clusters_one": ("กลุ่มจังหวัด {n} กลุ่ม", "The provincial cluster"),
    "n_clusters_none": ("กลุ่มจังหวัด", "Provincial clusters"),  # Bangkok alone: in no cluster
    "n_provinces": ("{n} จังหวัด", "{n} provinces"),
    "n_provinces_one": ("{n} จังหวัด", "{n} province"),
    "n_districts": ("{n} อำเภอ", "{n} districts"),
    "n_districts_one": ("{n} อำเภอ", "{n} district"),
    "esr_national_sub_n": ("{provinces} จังหวัด {clusters} กลุ่มจังหวัด", "{provinces} provinces in {clusters} clusters"),
    "esr_clusters_n": ("คะแนนรวมของ {n} กลุ่มจังหวัด", "The {n} clusters' overall scores"),
}
