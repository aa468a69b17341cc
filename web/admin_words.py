"""The words of the admin pages (web.admin_views), each a pair (Thai, English): the pages' words,
the messages after a change, the reasons of a refusal, and the audit log's event kinds."""

from __future__ import annotations

WORDS = {
    "admin": ("จัดการบัญชีและจอแสดงผล", "Accounts and wall screens"),
    "audit": ("บันทึกการใช้งาน", "Audit log"),
    "home": ("หน้าหลัก", "Home"),
    "switch": ("English", "ภาษาไทย"),
    "accounts": ("บัญชีผู้ใช้", "Accounts"),
    "name": ("ชื่อผู้ใช้", "User name"),
    "role": ("บทบาท", "Role"),
    "areas": ("พื้นที่", "Areas"),
    "areas_hint": ("รหัสพื้นที่ คั่นด้วยช่องว่าง เช่น 50 หรือ C05 หรือ TH", "Area codes separated by spaces: 50, C05 or TH"),
    "area_hint": ("รหัสจังหวัด กลุ่มจังหวัด หรือ TH เช่น 50 หรือ C05", "A province, a cluster or TH: 50 or C05"),
    "password_hint": (
        "เฉพาะบัญชีที่ใช้รหัสผ่านของระบบนี้ อย่างน้อย 12 ตัวอักษร",
        "For an account with a password here: at least 12 characters",
    ),
    "source": ("การยืนยันตัวตน", "Sign-in source"),
    "source_local": ("รหัสผ่านของระบบนี้", "Password here"),
    "source_ldap": ("ไดเรกทอรีองค์กร (LDAP)", "Directory (LDAP)"),
    "source_oidc": ("บัญชีองค์กร (OpenID Connect)", "Organisation account (OpenID Connect)"),
    "enabled": ("สถานะ", "State"),
    "on": ("ใช้งานได้", "Enabled"),
    "off": ("ระงับ", "Disabled"),
    "last_sign_in": ("เข้าระบบล่าสุด", "Last sign-in"),
    "actions": ("จัดการ", "Actions"),
    "disable": ("ระงับบัญชี", "Disable"),
    "enable": ("เปิดใช้บัญชี", "Enable"),
    "set_role": ("เปลี่ยนบทบาท", "Change role"),
    "password": ("รหัสผ่าน", "Password"),
    "set_password": ("ตั้งรหัสผ่าน", "Set password"),
    "add_account": ("เพิ่มบัญชี", "Add an account"),
    "add": ("เพิ่ม", "Add"),
    "no_accounts": ("ไม่มีบัญชีในพื้นที่ของท่าน", "No accounts in your areas"),
    "tokens": ("โทเคนจอแสดงผล", "Wall-screen tokens"),
    "token_id": ("รหัสโทเคน", "Token"),
    "area": ("พื้นที่", "Area"),
    "label": ("คำอธิบาย", "Label"),
    "created": ("สร้างเมื่อ", "Created"),
    "expires": ("หมดอายุ", "Expires"),
    "expires_hint": ("เว้นว่างไว้หากไม่ให้หมดอายุ", "Leave it empty for a token that never expires"),
    "last_used": ("ใช้ล่าสุด", "Last used"),
    "state": ("สถานะ", "State"),
    "active": ("ใช้งานได้", "Active"),
    "revoked": ("เพิกถอนแล้ว", "Revoked"),
    "expired": ("หมดอายุแล้ว", "Expired"),
    "revoke": ("เพิกถอน", "Revoke"),
    "create_token": ("สร้างโทเคน", "Create a token"),
    "create": ("สร้าง", "Create"),
    "no_tokens": ("ไม่มีโทเคนในพื้นที่ของท่าน", "No tokens in your areas"),
    "token_made": ("สร้างโทเคนแล้ว", "Token created"),
    "token_once": (
        "โทเคนนี้แสดงเพียงครั้งเดียว โปรดคัดลอกที่อยู่ด้านล่างไปเปิดที่จอแสดงผลตอนนี้",
        "This token is shown only once: copy the address below to the wall screen now.",
    ),
    "token": ("โทเคน", "Token"),
    "screen_url": ("ที่อยู่สำหรับจอแสดงผล", "Address for the screen"),
    "back": ("กลับไปหน้าจัดการ", "Back to administration"),
    "time": ("เวลา", "Time"),
    "actor": ("ผู้กระทำ", "Actor"),
    "event": ("เหตุการณ์", "Event"),
    "scope": ("ขอบเขต", "Scope"),
    "detail": ("รายละเอียด", "Detail"),
    "address": ("ที่อยู่ IP", "Address"),
    "filter": ("กรอง", "Filter"),
    "every_event": ("ทุกเหตุการณ์", "Every event"),
    "my_account": ("บัญชีของฉัน", "My account"),
    "no_events": ("ไม่มีเหตุการณ์", "No events"),
    "newest": ("ล่าสุดก่อน แสดงไม่เกิน {n} รายการ", "Newest first, at most {n} events"),
    "refused": ("ไม่อนุญาตให้ทำรายการนี้", "This change is not allowed"),
    "failed": ("ทำรายการไม่สำเร็จ", "The change could not be made"),
    "store_failed": ("บันทึกไม่สำเร็จ โปรดลองอีกครั้ง", "The change could not be saved; please try again."),
    "no_manage": ("บัญชีของท่านดูได้เฉพาะบันทึกการใช้งาน", "Your account may read the audit log only."),
}

MESSAGES = {
    "added": ("เพิ่มบัญชี {name} แล้ว", "Account {name} added."),
    "disabled": ("ระงับบัญชี {name} แล้ว", "Account {name} disabled."),
    "enabled": ("เปิดใช้บัญชี {name} แล้ว", "Account {name} enabled."),
    "role_set": ("เปลี่ยนบทบาทของ {name} แล้ว", "The role of {name} changed."),
    "password_set": ("ตั้งรหัสผ่านของ {name} แล้ว", "The password of {name} set."),
    "revoked": ("เพิกถอนโทเคน {name} แล้ว", "Token {name} revoked."),
}

REASONS = {
    "outside": ("บัญชีหรือพื้นที่นี้อยู่นอกพื้นที่ของท่าน", "This account or area lies outside your areas."),
    "role_wider": ("ท่านให้บทบาทที่มีสิทธิ์มากกว่าของท่านเองไม่ได้", "You may not give a role with more rights than yours."),
    "role_areas": (
        "บทบาทนี้ต้องได้รับพื้นที่ที่กว้างกว่าพื้นที่ของท่าน",
        "This role is given areas wider than yours.",
    ),
    "account_wider": (
        "บัญชีนี้มีสิทธิ์มากกว่าของท่าน จึงแก้ไขไม่ได้",
        "This account has rights yours lacks: you may not change it.",
    ),
    "own_role": ("ท่านเปลี่ยนบทบาทของบัญชีตัวเองไม่ได้", "You may not change your own role."),
    "own_disable": ("ท่านระงับบัญชีของตัวเองไม่ได้", "You may not disable your own account."),
}

EVENTS = {  # every event the audit log records (data.store.accounts, web.login, web.auth, callbacks)
    "sign_in": ("เข้าสู่ระบบ", "Signed in"),
    "sign_out": ("ออกจากระบบ", "Signed out"),
    "sign_in_failed": ("เข้าสู่ระบบไม่สำเร็จ", "Sign-in failed"),
    "sign_in_locked": ("ระงับการเข้าสู่ระบบชั่วคราว (ผิดหลายครั้ง)", "Sign-in locked (too many failures)"),
    "token_sign_in": ("จอแสดงผลเปิดด้วยโทเคน", "Wall screen opened with a token"),
    "token_refused": ("ปฏิเสธโทเคนจอแสดงผล", "Wall-screen token refused"),
    "token_create": ("สร้างโทเคนจอแสดงผล", "Wall-screen token created"),
    "token_revoke": ("เพิกถอนโทเคนจอแสดงผล", "Wall-screen token revoked"),
    "account_add": ("เพิ่มบัญชี", "Account added"),
    "account_disable": ("ระงับบัญชี", "Account disabled"),
    "account_enable": ("เปิดใช้บัญชี", "Account enabled"),
    "account_role": ("เปลี่ยนบทบาทและพื้นที่", "Role and areas changed"),
    "account_password": ("ตั้งรหัสผ่าน", "Password set"),
    "export": ("ดาวน์โหลดข้อมูลตัวชี้วัด", "KPI data downloaded"),
    "esr": ("ดาวน์โหลดรายงาน (ESR)", "Report (ESR) downloaded"),
}


def w(key: str, language: str, table: dict = WORDS) -> str:
    thai, english = table[key]
    return english if language == "en" else thai
