"""The UI's words in Thai and English (the ESR's in `layouts.text.esr_words`), and the catalog's
terms (goal names, frequencies, directions, aggregations), each as a (Thai, English) pair;
`layouts.text.i18n` reads them by key."""

from __future__ import annotations

from layouts.text.chart_words import CHART_WORDS
from layouts.text.esr_words import ESR_WORDS
from layouts.text.view_words import VIEW_WORDS
from layouts.text.wall_words import WALL_WORDS

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
    # ---- the national overview and the provincial scorecard
    "overview": ("ภาพรวมประเทศ", "Overview"),
    "overview_title": ("ภาพรวมระดับประเทศ", "National overview"),
    "period": ("ช่วงเวลา", "Period"),
    "latest": ("ล่าสุด", "Latest"),
    "as_of": ("ข้อมูล ณ", "Data as of"),
    "data_to": ("ข้อมูลถึง", "Data to"),
    "imported_at": ("นำเข้าล่าสุด", "last imported"),
    "as_of_none_here": (
        "ยังไม่มีข้อมูลของพื้นที่นี้ (ข้อมูลในระบบถึง{period})",
        "No data for this area (the store holds data to {period})",
    ),
    "as_of_no_data": ("ยังไม่มีข้อมูลตัวชี้วัดในระบบ", "No KPI data in the store yet"),
    "period_without_data": (
        "ไม่มีข้อมูลของ{period} — แสดงข้อมูลล่าสุด ({latest}) แทน",
        "There are no data for {period}; showing the latest ({latest}) instead",
    ),
    "overdue_notice": (
        "{count} จาก {total} ตัวชี้วัดที่แสดงล่าช้ากว่ารอบการปรับปรุงข้อมูล (ข้อมูลล่าสุดเก่ากว่ากำหนด)",
        "{count} of the {total} KPIs shown are overdue: their newest value is older than their update frequency allows",
    ),
    "area_no_data": ("ยังไม่มีข้อมูลตัวชี้วัดของพื้นที่นี้ถึง{period}", "This area has no KPI values up to {period}"),
    "map_shows": ("แสดงบนแผนที่", "Map shows"),
    "map_level": ("ระดับพื้นที่บนแผนที่", "Map areas"),
    "district_map_needs_kpi": (
        "แผนที่รายอำเภอแสดงได้เฉพาะตัวชี้วัดที่เผยแพร่ถึงระดับอำเภอ จึงแสดงรายจังหวัดแทน",
        "The district map shows only KPIs published by district, so provinces are shown instead",
    ),
    "no_district_boundaries_overview": (
        "ยังไม่ได้นำเข้าขอบเขตอำเภอ (poc import-boundaries) จึงแสดงรายจังหวัดแทน",
        "No district boundaries have been imported (poc import-boundaries), so provinces are shown instead",
    ),
    "overall_score": ("คะแนนรวม 6 เป้าหมาย", "Overall score (6 goals)"),
    "national_goals": ("ผลการดำเนินงานตาม 6 เป้าหมาย ระดับประเทศ", "The six goals nationally"),
    "coverage_kpis": ("มีข้อมูล {present}/{total} ตัวชี้วัด", "{present}/{total} KPIs with data"),
    "rollup_missing_parts": (
        "คำนวณค่ารวมของพื้นที่นี้ไม่ได้ เพราะไม่มีข้อมูล {parts} ของจังหวัดที่รายงาน",
        "No total for this area: the reporting provinces lack {parts}",
    ),
    "size_order": ("ลำดับตามขนาด (ไม่ใช่ผลงาน)", "Order by size (not performance)"),
    # not ต่ำกว่าเป้า ("lower than"): where less is better, a value short of its target is above it
    "gap_short": ("ห่างจากเป้า {amount}", "short of target by {amount}"),
    "gap_better": ("ดีกว่าเป้า {amount}", "better than target by {amount}"),
    "gap_meets": ("เท่ากับเป้า", "meets the target"),
    "percentage_points": ("จุดร้อยละ", "percentage points"),
    "coverage_insufficient": (
        "ข้อมูลครอบคลุม {share} ของน้ำหนัก ต่ำกว่าเกณฑ์ {minimum} จึงไม่จัดอันดับ",
        "Data cover {share} of the weight, below the {minimum} minimum: not ranked",
    ),
    "cluster_n": ("กลุ่มที่ {n}", "Cluster {n}"),
    "cluster": ("กลุ่มจังหวัด", "Cluster"),
    "no_cluster": ("ไม่สังกัดกลุ่มจังหวัด", "Not in a cluster"),
    "clusters_note": ("สีของจังหวัดแสดงสถานะของ “{measure}”", "Each province shows its status on “{measure}”"),
    "best": ("ดีที่สุด", "Best"),
    "worst": ("ต้องเร่งรัด", "Needs attention"),
    "largest": ("มากที่สุด", "Largest"),
    "smallest": ("น้อยที่สุด", "Smallest"),
    "ranking": ("การจัดอันดับจังหวัด", "Province ranking"),
    "rank": ("อันดับ", "Rank"),
    "click_province": ("คลิกจังหวัดบนแผนที่เพื่อเปิดรายงานของจังหวัด", "Click a province to open its scorecard"),
    "click_district": ("คลิกอำเภอเพื่อดูรายละเอียด", "Click a district to open it"),
    "tilegrid_note": (
        "แผนที่แบบช่องตาราง (1 ช่อง = 1 จังหวัด) เพราะยังไม่ได้นำเข้าขอบเขตจังหวัด — นำเข้าด้วย poc import-boundaries",
        "Tile-grid map (one square per province): no province boundaries are imported yet (poc import-boundaries)",
    ),
    "bad_param": (
        "ไม่เข้าใจค่า “{value}” ของ {name} — แสดงค่าเริ่มต้นแทน",
        "Did not understand “{value}” for {name}; showing the default instead",
    ),
    "scorecard": ("รายงานผลการดำเนินงานจังหวัด", "Provincial scorecard"),
    "scorecard_capital": ("รายงานผลการดำเนินงานกรุงเทพมหานคร", "Bangkok scorecard"),
    "province_of": ("จังหวัด{name}", "{name} province"),
    "goals_of_province": ("ผลการดำเนินงานตาม 6 เป้าหมาย", "The six goals"),
    "kpis_by_goal": ("ตัวชี้วัดตามเป้าหมาย", "KPIs by goal"),
    "sort_catalog": ("เรียงตามบัญชีตัวชี้วัด", "Catalog order"),
    "sort_worst": ("แย่สุดก่อน", "Worst first"),
    "value": ("ค่าล่าสุด", "Latest value"),
    "target": ("ค่าเป้าหมาย", "Target"),
    "score": ("คะแนน", "Score"),
    "trend": ("แนวโน้ม", "Trend"),
    "rank_cluster": ("อันดับในกลุ่ม", "Rank in cluster"),
    "rank_country": ("อันดับในประเทศ", "Rank in country"),
    # the figures' hovers name the cluster in full, and number the goals ("เป้าหมายที่ 2")
    "rank_cluster_hover": ("อันดับในกลุ่มจังหวัด", "Rank in cluster"),
    "goal_n": ("เป้าหมายที่ {n}", "Goal {n}"),
    "freshness": ("ความเป็นปัจจุบัน", "Freshness"),
    "monitored": ("ตัวชี้วัดติดตาม (ไม่คิดคะแนน) {n} ตัว", "{n} monitored KPIs (not scored)"),
    "district_map": ("แผนที่รายอำเภอ", "District map"),
    "choose_kpi": ("เลือกตัวชี้วัด", "Choose a KPI"),
    "no_district_kpi": ("ไม่มีตัวชี้วัดที่เผยแพร่ระดับอำเภอ", "No KPI is published by district"),
    "no_district_boundaries": (
        "ยังไม่ได้นำเข้าขอบเขตอำเภอ จึงแสดงเป็นแผนภูมิแท่ง — นำเข้าด้วย poc import-boundaries --level district",
        "No district boundaries are imported, so districts are shown as bars (poc import-boundaries --level district)",
    ),
    "not_found": ("ไม่พบจังหวัดนี้", "Province not found"),
    "not_found_text": (
        "ไม่มีจังหวัดรหัส “{code}” — รหัสจังหวัดเป็นตัวเลข 2 หลักตามกรมการปกครอง เช่น 50 = เชียงใหม่",
        "There is no province with code “{code}”. Province codes are the 2-digit DOPA codes, e.g. 50 = Chiang Mai.",
    ),
    "not_allowed": ("ไม่มีสิทธิ์เข้าถึง", "Not allowed"),
    "not_allowed_text": (
        "บัญชีของท่านไม่มีสิทธิ์ดูพื้นที่หรือหน้านี้ ข้อมูลจึงไม่แสดง",
        "Your account may not see this area or page, so none of its data is shown.",
    ),
    "account": ("บัญชี", "Account"),
    "import_log_country_only": (
        "ประวัติการนำเข้าเป็นของทั้งคลังข้อมูล จึงแสดงเฉพาะบัญชีที่ดูได้ทั้งประเทศ",
        "The import log is the whole store's, so only accounts that see the whole country read it.",
    ),
    "published_figures": (
        "ท่านเห็นข้อมูลเฉพาะพื้นที่ในสิทธิ์ของท่าน ค่าระดับประเทศ ภาค และกลุ่มจังหวัด และอันดับ เป็นตัวเลขที่เผยแพร่ ซึ่งคำนวณจากทุกจังหวัด",
        "You see the areas your account holds only. National, regional and cluster figures and ranks are the "
        "published figures, computed over every province.",
    ),
    "admin": ("ผู้ดูแล", "Admin"),
    "sign_out": ("ออกจากระบบ", "Sign out"),
    "back_to_overview": ("กลับไปหน้าภาพรวมประเทศ", "Back to the national overview"),
    "in_cluster": ("{rank} ในกลุ่ม", "{rank} in cluster"),
    "in_country": ("{rank} ในประเทศ", "{rank} in Thailand"),
    "period_of_value": ("งวด", "Period"),
    "demo_value": ("สาธิต", "demo"),
    "preliminary": ("เบื้องต้น", "preliminary"),
    "empty_store": (
        "คลังข้อมูลยังไม่มีค่าตัวชี้วัด — นำเข้าด้วย `poc import-values` หรือสร้างข้อมูลสาธิตด้วย `poc demo`",
        "The store holds no KPI values yet: import with `poc import-values`, or fill demo data with `poc demo`",
    ),
    # ---- the cluster (OSM) comparison page and the page-not-found page
    "cluster_comparison": ("เปรียบเทียบจังหวัดในกลุ่มจังหวัด (OSM)", "Provinces of the cluster compared (OSM)"),
    "members": ("จังหวัดในกลุ่ม", "Member provinces"),
    "head_province": ("จังหวัดหัวหน้ากลุ่ม", "Head province"),
    "head_unverified": ("ยังไม่ยืนยัน", "unverified"),
    "head_unverified_note": (
        "ข้อมูลหัวหน้ากลุ่มเป็นที่อ้างถึงทั่วไป แต่ยังไม่ยืนยันจากประกาศ",
        "commonly cited, not confirmed by an announcement",
    ),
    "membership_as_of": ("การจัดกลุ่ม ณ", "Membership as of"),
    "cluster_as_whole": ("ภาพรวมของกลุ่มจังหวัด", "The cluster as a whole"),
    "compare_shows": ("เปรียบเทียบ", "Compare"),
    "ranks_and_gaps": ("อันดับและระยะห่างจากจังหวัดที่ดีที่สุด", "Ranks and gap to the best province"),
    "gap_to_best": ("ห่างจากที่ดีที่สุด", "Gap to the best"),
    "gap_to_largest": ("ห่างจากค่าสูงสุด", "Gap to the largest"),
    "best_in_cluster": ("ดีที่สุดในกลุ่ม", "Best in cluster"),
    "largest_in_cluster": ("สูงสุดในกลุ่ม", "Largest in cluster"),
    "points": ("คะแนน", "points"),
    "goal_scores_compared": ("คะแนน 6 เป้าหมายรายจังหวัด", "The six goal scores by province"),
    "heatmap_title": ("คะแนนตัวชี้วัดรายจังหวัด แยกตามเป้าหมาย", "KPI scores by province, grouped by goal"),
    "heatmap_note": (
        "สีคือคะแนน 1–5 (แดง → เหลือง → เขียว) พร้อมสัญลักษณ์สถานะ ✔ ตามเป้าหมาย ▲ เฝ้าระวัง ✖ ต่ำกว่าเป้าหมาย "
        "ช่องสีเทา “–” คือไม่มีข้อมูล · แสดงเฉพาะตัวชี้วัดที่คิดคะแนน ({n} ตัว) · คลิกช่องเพื่อเปิดรายงานจังหวัด",
        "Colour is the score 1–5 (red → amber → green), with the status symbol: ✔ on target, ▲ watch, "
        "✖ off target; grey “–” means no data · scored KPIs only ({n}) · click a cell to open the province",
    ),
    "heatmap_goal_only": ("เฉพาะเป้าหมายที่ {goal}", "Goal {goal} only"),
    "cluster_not_found": ("ไม่พบกลุ่มจังหวัดนี้", "Cluster not found"),
    "cluster_not_found_text": (
        "ไม่มีกลุ่มจังหวัดหมายเลข “{code}” — กลุ่มจังหวัดมี 18 กลุ่ม หมายเลข 1 ถึง 18",
        "There is no cluster number “{code}”. The 18 provincial clusters are numbered 1 to 18.",
    ),
    "page_not_found": ("ไม่พบหน้านี้", "Page not found"),
    "page_not_found_text": (
        "ไม่มีหน้าที่ขอในระบบ ลิงก์อาจผิดหรือหน้าถูกย้ายไปแล้ว",
        "The page you asked for does not exist; the link may be wrong or the page has moved.",
    ),
    "go_home": ("ไปหน้าแรก (ภาพรวมประเทศ)", "Go to the home page (national overview)"),
    # a download request the page could not have written (callbacks.navigation.Refused)
    "request_refused": (
        "ไม่ได้จัดทำไฟล์: ไม่เข้าใจค่า “{value}” ของ{name} — โปรดโหลดหน้านี้ใหม่แล้วลองอีกครั้ง",
        "No file was made: the {name} “{value}” is not understood. Reload the page and try again.",
    ),
    "request_unknown": (
        "ไม่ได้จัดทำไฟล์: ไม่พบ{name} “{value}” — โปรดโหลดหน้านี้ใหม่แล้วลองอีกครั้ง",
        "No file was made: there is no {name} “{value}”. Reload the page and try again.",
    ),
    "req_request": ("คำขอ", "request"),
    "req_kind": ("ประเภทรายงาน", "report type"),
    "req_province": ("จังหวัด", "province"),
    "req_cluster": ("กลุ่มจังหวัด", "cluster"),
    "req_period": ("ช่วงเวลา", "period"),
    "req_kpi": ("ตัวชี้วัด", "KPI"),
    "req_area": ("พื้นที่", "area"),
    "req_page": ("หน้า", "page"),
    "req_trigger": ("ตัวเลือก", "selector"),
    "req_value": ("ค่าที่เลือก", "selected value"),
    # ---- /kpi/<id> and /district/<code>
    "kpi_definition": ("นิยามตัวชี้วัด", "Definition"),
    "description": ("คำอธิบาย", "Description"),
    "direction": ("ทิศทาง", "Direction"),
    "thresholds": ("เกณฑ์การให้คะแนน", "Scoring thresholds"),
    "threshold_value": ("ค่าที่ได้คะแนนนี้", "Value for this score"),
    "weight": ("น้ำหนัก", "Weight"),
    "weight_text": ("{weight} จาก 100 ในเป้าหมาย {goal}", "{weight} of 100 within goal {goal}"),
    "aggregation": ("การรวมค่าจากพื้นที่ย่อย", "Aggregation"),
    "not_scored_note": ("ตัวชี้วัดติดตาม ไม่คิดคะแนน (ไม่มีเกณฑ์การให้คะแนน)", "Monitored, not scored (no scoring thresholds)"),
    "area": ("พื้นที่", "Area"),
    "code": ("รหัส", "Code"),
    "country": ("ทั้งประเทศ", "Whole country"),
    "over_time": ("ผลการดำเนินงานรายงวด", "Over time"),
    "series_no_data": ("ยังไม่มีข้อมูลของตัวชี้วัดนี้ในพื้นที่นี้", "No data of this KPI for this area yet"),
    "across_provinces": ("การกระจายรายจังหวัด", "Across the provinces"),
    "across_districts": ("การกระจายรายอำเภอ", "Across the districts"),
    "download_csv": ("ดาวน์โหลด CSV", "Download CSV"),
    "download_xlsx": ("ดาวน์โหลด XLSX", "Download XLSX"),
    "kpi_not_found": ("ไม่พบตัวชี้วัดนี้", "KPI not found"),
    "kpi_not_found_text": (
        "ไม่มีตัวชี้วัดรหัส “{code}” ในบัญชีตัวชี้วัด — ดูรายการตัวชี้วัดทั้งหมดที่หน้าสถานะข้อมูล",
        "There is no KPI with id “{code}” in the catalog; the data status page lists every KPI.",
    ),
    "district_not_found": ("ไม่พบอำเภอนี้", "District not found"),
    "district_not_found_text": (
        "ไม่มีอำเภอรหัส “{code}” — รหัสอำเภอเป็นตัวเลข 4 หลักตามกรมการปกครอง เช่น 5001 = อำเภอเมืองเชียงใหม่",
        "There is no district with code “{code}”. District codes are the 4-digit DOPA codes, "
        "e.g. 5001 = Mueang Chiang Mai.",
    ),
    "district_of": ("อำเภอ{name}", "{name} district"),
    "district_report": ("รายงานผลการดำเนินงานอำเภอ", "District report"),
    "district_kpis": ("ตัวชี้วัดที่เผยแพร่ระดับอำเภอหรือตำบล", "KPIs published by district or subdistrict"),
    "province_only_note": (
        "ตัวชี้วัดอีก {n} ตัวเผยแพร่เฉพาะระดับจังหวัด จึงไม่มีค่ารายอำเภอ — ดูได้ในรายงานจังหวัด",
        "{n} more KPIs are published only by province, so they have no district values; see the provincial scorecard",
    ),
    "open_province": ("เปิดรายงาน{name}", "Open the {name} scorecard"),
    "subdistrict_map": ("แผนที่รายตำบล", "Subdistrict map"),
    "no_subdistrict_kpi": ("ไม่มีตัวชี้วัดที่เผยแพร่ระดับตำบล", "No KPI is published by subdistrict"),
    "no_subdistrict_data": (
        "ยังไม่มีข้อมูลรายตำบลของตัวชี้วัดนี้ในอำเภอนี้",
        "No subdistrict values of this KPI in this district yet",
    ),
    "no_subdistrict_boundaries": (
        "ยังไม่ได้นำเข้าขอบเขตตำบล จึงแสดงเป็นแผนภูมิแท่ง — นำเข้าด้วย poc import-boundaries --level subdistrict",
        "No subdistrict boundaries are imported, so subdistricts are shown as bars "
        "(poc import-boundaries --level subdistrict)",
    ),
    # ---- the wall screen (/wall)
    "wall_title": ("จอแสดงผลศูนย์ปฏิบัติการจังหวัด", "Operation center wall screen"),
    "wall_loading": ("กำลังโหลดข้อมูล…", "Loading data…"),
    "wall_waiting": ("กำลังรอการเชื่อมต่อกับเซิร์ฟเวอร์…", "Waiting for the server…"),
    "wall_stale_since": ("ข้อมูลไม่อัปเดต ตั้งแต่ {time}", "Stale since {time}"),
    "wall_updated": ("อัปเดต {time}", "Updated {time}"),
    "wall_last_import": ("นำเข้าล่าสุด {time}", "Last import {time}"),
    "wall_slide_goals": ("คะแนนรวมและ 6 เป้าหมาย", "Overall score and the six goals"),
    "wall_slide_exceptions": ("ตัวชี้วัดที่ต่ำกว่าเป้าหมาย (แย่สุดก่อน)", "Off-target KPIs, worst first"),
    "wall_slide_map": ("ตัวชี้วัดสำคัญรายพื้นที่", "Headline KPI by area"),  # a map, bars or cards: by area, whichever is drawn
    "wall_slide_trends": ("แนวโน้มตัวชี้วัดสำคัญ", "Key KPI trends"),
    "wall_slide_hotspots_district": ("อำเภอที่ต้องเร่งรัด", "District hotspots"),
    "wall_slide_hotspots_province": ("จังหวัดที่ต้องเร่งรัด", "Province hotspots"),
    "wall_off_target_count": ("ต่ำกว่าเป้าหมาย {n} จาก {total} ตัวชี้วัด", "{n} of {total} KPIs off target"),
    "wall_none_off_target": ("ไม่มีตัวชี้วัดที่ต่ำกว่าเป้าหมาย", "No KPI is off target"),
    "wall_more_kpis": ("และอีก {n} ตัวชี้วัด", "and {n} more KPIs"),
    "wall_more_areas": ("และอีก {n} พื้นที่", "and {n} more areas"),
    "wall_off_target_kpis": ("ตัวชี้วัดต่ำกว่าเป้าหมาย", "KPIs off target"),
    "wall_worst_kpi": ("แย่ที่สุด", "Worst"),
    "wall_no_hotspots": ("ยังไม่มีข้อมูลรายพื้นที่สำหรับจัดอันดับ", "No area data to rank yet"),
    "wall_map_area_value": ("ค่าของ{name}", "{name}"),
    "wall_best_areas": ("ดีที่สุด", "Best"),
    "wall_worst_areas": ("ต้องเร่งรัด", "Needs attention"),
    "wall_bars_note": ("ยังไม่ได้นำเข้าขอบเขตพื้นที่ จึงแสดงเป็นแผนภูมิแท่ง", "No boundaries imported: shown as bars"),
    "wall_no_series": ("ยังไม่มีข้อมูล", "No data yet"),
    "wall_unknown_kpi": ("ไม่มีตัวชี้วัดรหัส “{code}” ในบัญชีตัวชี้วัด", "There is no KPI “{code}” in the catalog"),
    "wall_clamped": (
        "ค่า “{value}” ของ {name} อยู่นอกช่วงที่ใช้ได้ — ใช้ {bound} แทน",
        "“{value}” for {name} is outside the allowed range; {bound} is used instead",
    ),
    "wall_unknown_slides": ("ไม่รู้จักสไลด์ “{value}” — ใช้ได้: {choices}", "Unknown slide “{value}”; use: {choices}"),
    "store_unavailable_title": ("ขณะนี้เชื่อมต่อคลังข้อมูลไม่ได้", "The data store cannot be reached just now"),
    "store_unavailable_text": (
        "ระบบยังทำงานอยู่ แต่คลังข้อมูลไม่ตอบสนอง (ปิดอยู่ ถูกล็อก หรือตอบช้าเกินกำหนด) จึงยังแสดงหน้านี้ไม่ได้ โปรดแจ้งผู้ดูแลระบบหากเป็นอยู่นาน",
        "The dashboard is running, but its data store does not answer (stopped, locked or too slow), so this page "
        "cannot be shown yet. Tell the system administrator if this lasts.",
    ),
    "store_retrying": ("หน้านี้จะลองใหม่เองทุก {seconds} วินาที", "This page tries again by itself every {seconds} s"),
    "store_stale": (
        "คลังข้อมูลไม่ตอบสนอง — แสดงข้อมูลที่บันทึกไว้เมื่อ {time} ({minutes} นาทีที่แล้ว) และจะปรับเป็นข้อมูลล่าสุดเองเมื่อเชื่อมต่อได้",
        "The data store does not answer: showing the data saved at {time} ({minutes} min ago); the page "
        "updates by itself once the store is back",
    ),
    "wall_store_error": ("เชื่อมต่อคลังข้อมูลไม่ได้", "The data store cannot be reached"),
    "wall_open": ("จอแสดงผล", "Wall screen"),
    # ---- browser-tab titles (pages/_titles.py) and the names of the page's parts for a screen reader
    "tab_province": ("รายงานจังหวัด", "Province scorecard"),
    "tab_district": ("รายงานอำเภอ", "District report"),
    "kpi_by_district": ("ตัวชี้วัดรายอำเภอ", "KPI by district"),  # a snapshot's header: the KPI its district panel shows
    "main_content": ("เนื้อหาหลัก", "Main content"),
    "skip_to_content": ("ข้ามไปยังเนื้อหาหลัก", "Skip to main content"),
    "site_navigation": ("เมนูหลัก", "Main menu"),
    # ---- ESR: the Executive Summary Report, page snapshots and their downloads: layouts.text.esr_words
    **ESR_WORDS,
    # ---- the charts' text alternatives and long rankings: layouts.text.chart_words
    **CHART_WORDS,
    # ---- the import log's words, the Bangkok rule's names, panels and counts: layouts.text.view_words
    **VIEW_WORDS,
    # ---- the wall's rankings of a few areas and the cluster radar's scale: layouts.text.wall_words
    **WALL_WORDS,
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

DIRECTIONS: dict[str, tuple[str, str]] = {
    "higher_better": ("ยิ่งมากยิ่งดี", "Higher is better"),
    "lower_better": ("ยิ่งน้อยยิ่งดี", "Lower is better"),
    "context": ("ข้อมูลประกอบ ไม่มีทิศทางที่ดีกว่า", "Context figure: neither direction is better"),
}

AGGREGATIONS: dict[str, tuple[str, str]] = {
    "sum": ("ผลรวมของพื้นที่ย่อย", "Sum of the areas below"),
    "weighted_mean": ("ค่าเฉลี่ยของพื้นที่ย่อย ถ่วงน้ำหนักด้วย “{weight}”", "Mean of the areas below, weighted by “{weight}”"),
    "ratio": (
        "ผลรวม “{numerator}” ÷ ผลรวม “{denominator}” × {scale}",
        "Sum of “{numerator}” ÷ sum of “{denominator}” × {scale}",
    ),
    "none": ("ไม่รวมค่า — แต่ละระดับพื้นที่เผยแพร่ค่าของตนเอง", "Not aggregated: each level publishes its own value"),
}
