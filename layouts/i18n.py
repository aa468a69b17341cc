"""UI words in Thai (default) and English, and number formatting with units."""

from __future__ import annotations

import math

LANGUAGES = ("th", "en")

WORDS: dict[str, tuple[str, str]] = {
    "app_title": ("ศูนย์ปฏิบัติการจังหวัด", "Provincial Operation Center"),
    "app_subtitle": ("ระบบสารสนเทศเพื่อการบริหารเชิงยุทธศาสตร์", "Strategic management dashboard"),
    "data_status": ("สถานะข้อมูล", "Data status"),
    "data_status_lead": (
        "ตัวชี้วัดทุกตัวในคลังข้อมูล พร้อมหน่วยงานรับผิดชอบ ความถี่ และข้อมูลล่าสุด",
        "Every KPI in the store with its owner, frequency and latest data",
    ),
    "goal": ("เป้าหมาย", "Goal"),
    "kpi": ("ตัวชี้วัด", "KPI"),
    "unit": ("หน่วย", "Unit"),
    "owner": ("ผู้รับผิดชอบ", "Owner"),
    "source": ("แหล่งข้อมูล", "Source"),
    "frequency": ("ความถี่", "Frequency"),
    "finest_level": ("ระดับพื้นที่ละเอียดสุด", "Finest level"),
    "values": ("จำนวนค่า", "Values"),
    "areas": ("จำนวนพื้นที่", "Areas"),
    "latest_period": ("งวดล่าสุด", "Latest period"),
    "last_import": ("นำเข้าล่าสุด", "Last imported"),
    "no_data": ("ไม่มีข้อมูล", "No data"),
    "demo_badge": ("ข้อมูลสาธิต", "Demo data"),
    "demo_notice": (
        "ค่าที่แสดงเป็นข้อมูลสาธิตที่สร้างขึ้น ไม่ใช่ข้อมูลจริง",
        "Values shown are generated demo data, not real figures",
    ),
    "imports": ("ประวัติการนำเข้าข้อมูล", "Import history"),
    "kind": ("ประเภท", "Kind"),
    "file": ("ไฟล์", "File"),
    "status": ("สถานะ", "Status"),
    "rows": ("แถว", "Rows"),
    "new": ("ใหม่", "New"),
    "revised": ("ปรับปรุง", "Revised"),
    "unchanged": ("ไม่เปลี่ยนแปลง", "Unchanged"),
    "by": ("ผู้นำเข้า", "By"),
    "when": ("เวลา", "When"),
    "store_facts": ("ข้อมูลอ้างอิง", "Reference data"),
    "clusters_as_of": ("การจัดกลุ่มจังหวัด ณ", "Cluster membership as of"),
    "catalog_as_of": ("บัญชีตัวชี้วัด ณ", "KPI catalog as of"),
    "areas_source": ("รหัสพื้นที่", "Area codes"),
    "boundaries": ("ขอบเขตพื้นที่ที่นำเข้า", "Imported boundaries"),
    "language_toggle": ("English", "ภาษาไทย"),
    "province": ("จังหวัด", "Province"),
    "district": ("อำเภอ", "District"),
    "subdistrict": ("ตำบล", "Subdistrict"),
    "none_yet": ("ยังไม่มี", "none yet"),
    "empty_store": (
        "คลังข้อมูลยังไม่มีค่าตัวชี้วัด — นำเข้าด้วย `poc import-values` หรือสร้างข้อมูลสาธิตด้วย `poc demo`",
        "The store holds no KPI values yet: import with `poc import-values`, or fill demo data with `poc demo`",
    ),
}

GOAL_NAMES: dict[str, tuple[str, str]] = {
    "G1": ("สร้างความสามารถในการแข่งขันทางเศรษฐกิจและแก้ไขปัญหาความยากจน", "Economic competitiveness and poverty reduction"),
    "G2": ("สร้างสังคมที่สงบสุขและพึงปรารถนาร่วมกัน", "A peaceful, desirable society"),
    "G3": ("ดุลยภาพที่ยั่งยืนของทรัพยากรธรรมชาติและสิ่งแวดล้อม", "Sustainable natural resources and environment"),
    "G4": ("การบริหารราชการตามหลักธรรมาภิบาล", "Good-governance public administration"),
    "G5": ("ทราบ เข้าใจ และแก้ไขปัญหาความเดือดร้อนของประชาชน", "Knowing and solving people's problems"),
    "G6": ("ปฏิบัติภารกิจตามนโยบายรัฐ", "Carrying out state policy missions"),
}

FREQUENCIES: dict[str, tuple[str, str]] = {
    "daily": ("รายวัน", "daily"),
    "weekly": ("รายสัปดาห์", "weekly"),
    "monthly": ("รายเดือน", "monthly"),
    "quarterly": ("รายไตรมาส", "quarterly"),
    "annual": ("รายปี", "annual"),
    "biennial": ("ทุก 2 ปี", "every 2 years"),
}


def t(key: str, language: str) -> str:
    """The word for `key` in `language` (Thai unless "en")."""
    thai, english = WORDS[key]
    return english if language == "en" else thai


def pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def normalise_language(value: str | None, default: str = "th") -> str:
    return value if value in LANGUAGES else default


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """Thousands separators and fixed decimals; an em dash for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{decimals}f}"


def format_value(value: float | None, decimals: int, unit: str) -> str:
    """A number with its unit, e.g. "1,234.5 ล้านบาท" or "87.2 %"."""
    text = format_number(value, decimals)
    if text == "–":
        return text
    return f"{text} %" if unit.strip() in ("%", "ร้อยละ") else f"{text} {unit}"
