"""The words of the Executive Summary Report, the page snapshots and their downloads
(reports/, callbacks/esr.py), as (Thai, English) pairs; part of `layouts.text.words.WORDS`."""

from __future__ import annotations

ESR_WORDS: dict[str, tuple[str, str]] = {
    "esr": ("รายงานสรุปสำหรับผู้บริหาร (ESR)", "Executive Summary Report (ESR)"),
    "esr_kind_province": ("รายงานระดับจังหวัด", "Provincial report"),
    "esr_kind_cluster": ("รายงานระดับกลุ่มจังหวัด", "Cluster report"),
    "esr_kind_national": ("รายงานภาพรวมประเทศ", "National roll-up"),
    "esr_quarter": ("ไตรมาสของข้อมูล", "Quarter"),
    "esr_generated": ("จัดทำเมื่อ", "Generated"),
    "esr_national_title": ("ภาพรวมระดับประเทศ", "National roll-up"),
    "esr_summary": ("สรุปสำหรับผู้บริหาร", "Summary for the executive"),
    "esr_note": ("เรื่องเสนอเพื่อพิจารณา", "For the executive's decision"),
    "esr_exceptions": ("ตัวชี้วัดที่ต่ำกว่าเป้าหมาย (แย่สุดก่อน)", "Off-target KPIs, worst first"),
    "esr_no_exceptions": ("ไม่มีตัวชี้วัดที่ต่ำกว่าเป้าหมาย", "No KPI is off target"),
    "esr_more_exceptions": ("และอีก {n} ตัวชี้วัด ดูในภาคผนวก ก", "and {n} more KPIs: see annex A"),
    "esr_gap": ("ห่างจากเป้าหมาย", "Gap to target"),
    "esr_provinces_off": ("จังหวัดที่ต่ำกว่าเป้า", "Provinces off target"),
    "esr_worst_member": ("จังหวัดที่ต้องเร่งรัด", "Weakest province"),
    "esr_budget": ("การเบิกจ่ายงบประมาณเทียบเป้าหมายรายไตรมาส", "Budget disbursement against the quarterly target"),
    "esr_no_budget": ("ยังไม่มีข้อมูลการเบิกจ่ายงบประมาณ", "No budget disbursement data yet"),
    "esr_quarter_target": ("เป้าหมายการเบิกจ่ายสะสมของไตรมาส", "Cumulative target due this quarter"),
    "esr_budget_ranking": ("เรียงตามผลการเบิกจ่ายเทียบเป้าหมาย", "Ranked on disbursement against target"),
    "esr_map": ("แผนที่รายอำเภอ: {kpi}", "Districts: {kpi}"),
    "esr_map_provinces": ("แผนที่จังหวัด: คะแนนรวม 6 เป้าหมาย", "Provinces: overall score (6 goals)"),
    "esr_no_map": ("ไม่มีตัวชี้วัดที่เผยแพร่ระดับอำเภอ", "No KPI is published by district"),
    "esr_members": ("เปรียบเทียบจังหวัดในกลุ่ม", "The member provinces compared"),
    "esr_best_worst": ("จังหวัดคะแนนรวมสูงสุดและต่ำสุด", "Best and weakest provinces overall"),
    "esr_annex_kpis": ("ภาคผนวก ก ตัวชี้วัดทั้งหมด", "Annex A: all KPIs"),
    "esr_annex_scores": ("ภาคผนวก ก คะแนนตัวชี้วัดรายจังหวัด", "Annex A: KPI scores by province"),
    "esr_annex_quality": ("ภาคผนวก ข ข้อมูลล่าช้าและขาดหาย", "Annex B: overdue and missing data"),
    "esr_no_quality": ("ข้อมูลทุกตัวชี้วัดเป็นปัจจุบันและครบถ้วน", "Every KPI's data is up to date and complete"),
    "completeness": ("ความครบถ้วน", "Completeness"),
    "esr_page": ("หน้า", "Page"),
    "esr_button": ("รายงาน ESR (PDF)", "ESR report (PDF)"),
    "esr_snapshot_button": ("พิมพ์หน้านี้ (PDF)", "Snapshot (PDF)"),
    "esr_data_button": ("ข้อมูลรายงาน (XLSX)", "Report data (XLSX)"),
    "esr_working": ("กำลังจัดทำไฟล์…", "Preparing the file…"),
    "esr_failed": ("จัดทำไฟล์ PDF ไม่สำเร็จ: {reason}", "The PDF could not be made: {reason}"),
    "esr_browser_missing": (
        "ส่งออก PDF ไม่ได้ เพราะเปิดโปรแกรม Chromium ที่ {path} ไม่ได้ — แดชบอร์ดและไฟล์ XLSX ยังใช้งานได้ตามปกติ "
        "ผู้ดูแลระบบติดตั้งได้ด้วย apt-get install chromium หรือกำหนดตำแหน่งใน POC_CHROMIUM",
        "PDF export is unavailable: Chromium could not be started at {path}. The dashboard and the XLSX downloads "
        "keep working; an administrator can install it (apt-get install chromium) or set POC_CHROMIUM.",
    ),
    "snapshot": ("ภาพหน้าจอ", "Snapshot"),
    "snapshot_filters": ("ตัวกรองที่ใช้", "Filters"),
    "snapshot_page": ("หน้า", "Page"),
    "snapshot_show": ("แสดง", "Showing"),
    "snapshot_sort": ("การเรียง", "Order"),
    "nar_overall": ("{area} มีคะแนนรวม 6 เป้าหมาย {score} ({status})", "{area} scores {score} overall ({status})"),
    "nar_rank": (
        "อยู่อันดับ {cluster} ในกลุ่มจังหวัด และอันดับ {country} ของประเทศ",
        "ranking {cluster} in its cluster and {country} in Thailand",
    ),
    "nar_rank_country": ("อยู่อันดับ {country} ของประเทศ", "ranking {country} in Thailand"),
    "nar_goals": (
        "เป้าหมายที่ทำได้ดีที่สุดคือเป้าหมายที่ {best} ({best_score}) ส่วนเป้าหมายที่ {worst} ({worst_score}) ต้องเร่งรัด",
        "Goal {best} is the strongest ({best_score}); goal {worst} needs the most attention ({worst_score})",
    ),
    "nar_exceptions": (
        "ตัวชี้วัด {n} จาก {scored} ตัวที่มีคะแนนต่ำกว่าเป้าหมาย ที่น่าห่วงที่สุดคือ{names}",
        "Off target: {n} of {scored} scored KPIs; the most pressing: {names}",
    ),
    "nar_no_exceptions": (
        "ไม่มีตัวชี้วัดใดต่ำกว่าเป้าหมายจาก {scored} ตัวที่มีคะแนน",
        "None of the {scored} scored KPIs is off target",
    ),
    "nar_trend": (
        "เทียบกับงวดก่อน ตัวชี้วัดดีขึ้น {up} ตัว และแย่ลง {down} ตัว",
        "Against the previous period, KPIs improved: {up}; worsened: {down}",
    ),
    "nar_budget": (
        "เบิกจ่ายงบประมาณสะสมแล้ว {rate} ของวงเงิน คิดเป็น {versus} ของเป้าหมายไตรมาส",
        "{rate} of the budget has been disbursed, {versus} of the quarter's target",
    ),
    "nar_budget_rank": ("อันดับ {rank} ของประเทศ", "rank {rank} in Thailand"),
    "nar_members": (
        "ในกลุ่มนี้ {best} มีคะแนนรวมสูงสุด ({best_score}) และ {worst} ต่ำสุด ({worst_score})",
        "In the cluster, {best} scores highest ({best_score}) and {worst} lowest ({worst_score})",
    ),
    "nar_national": (
        "จังหวัดที่มีคะแนนรวมสูงสุดคือ {best} ({best_score}) ต่ำสุดคือ {worst} ({worst_score}) "
        "และมี {n_off} จังหวัดที่คะแนนรวมต่ำกว่าเป้าหมาย",
        "{best} scores highest ({best_score}) and {worst} lowest ({worst_score}); "
        "provinces off target overall: {n_off}",
    ),
    "nar_quality": (
        "ข้อมูลล่าช้า {overdue} ตัวชี้วัด และไม่มีข้อมูล {missing} ตัวชี้วัด ผู้รับผิดชอบหลัก: {owners}",
        "KPIs overdue: {overdue}; without data: {missing}; owners: {owners}",
    ),
    "nar_quality_ok": ("ข้อมูลทุกตัวชี้วัดเป็นปัจจุบัน", "Every KPI's data is up to date"),
}
